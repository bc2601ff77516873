package io.gatehouse.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed key for {@code 127.0.0.1} made once per test JVM with the JDK's own {@code keytool},
 * and a client context that trusts it.
 *
 * @param keyStore a PKCS#12 file
 * @param password its password (also the key's)
 */
public record TestTls(Path keyStore, String password) {
    private static TestTls instance;

    /** The test JVM's key, made on first use. */
    public static synchronized TestTls get() throws IOException, InterruptedException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("gatehouse-tls");
            Path ks = dir.resolve("server.p12");
            String password = "conformance";
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1",
                    "-ext", "SAN=ip:127.0.0.1,ip:::1,dns:localhost", "-storetype", "PKCS12", "-keystore", ks.toString(),
                    "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out);
            }
            instance = new TestTls(ks, password);
        }
        return instance;
    }

    /** The key as a {@link KeyManagerFactory}, for servers configured in code. */
    public KeyManagerFactory keyManagers() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        return kmf;
    }

    /** A client context trusting any certificate (the test's own self-signed one). */
    public static SSLContext trustingClient() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return ctx;
    }
}
