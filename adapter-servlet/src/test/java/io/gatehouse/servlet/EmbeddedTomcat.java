package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** Embedded Tomcat 11 on 127.0.0.1:0 with one filter for {@code /*} in front of one servlet for {@code /}. */
public final class EmbeddedTomcat implements AdapterConformanceTest.Server {
    private final Tomcat tomcat;
    private final URI base;

    private EmbeddedTomcat(Tomcat tomcat, URI base) {
        this.tomcat = tomcat;
        this.base = base;
    }

    /**
     * Starts Tomcat with {@code filter} (named {@code gatehouse}) in front of {@code servlet}, both
     * registered with async support.
     */
    public static EmbeddedTomcat start(Filter filter, Servlet servlet) throws Exception {
        return start(filter, servlet, 200, AdapterConformanceTest.Listen.DEFAULT, 20);
    }

    /**
     * As {@link #start(Filter, Servlet)}, with at most {@code maxThreads} request threads, listening as
     * {@code listen} says, and Tomcat's own read timeout ({@code connectionTimeout}) set to
     * {@code readTimeoutSeconds}, as the README tells users to.
     */
    public static EmbeddedTomcat start(Filter filter, Servlet servlet, int maxThreads, AdapterConformanceTest.Listen listen,
                                       int readTimeoutSeconds) throws Exception {
        Path base = Files.createTempDirectory("gatehouse-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", listen.address());
        connector.setProperty("connectionTimeout", Integer.toString(readTimeoutSeconds * 1000));
        connector.setProperty("maxConnections", "4096");
        connector.setProperty("acceptCount", "4096");
        if (listen.tls() != null) {
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig ssl = new SSLHostConfig();
            SSLHostConfigCertificate cert = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
            cert.setCertificateKeystoreFile(listen.tls().keyStore().toString());
            cert.setCertificateKeystorePassword(listen.tls().password());
            cert.setCertificateKeystoreType("PKCS12");
            ssl.addCertificate(cert);
            connector.addSslHostConfig(ssl);
        }
        connector.setProperty("maxThreads", Integer.toString(maxThreads));
        connector.setProperty("minSpareThreads", Integer.toString(Math.min(10, maxThreads)));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.toString());
        Wrapper app = Tomcat.addServlet(ctx, "app", servlet);
        app.setLoadOnStartup(1);
        app.setAsyncSupported(true);
        ctx.addServletMapping("/", "app");
        FilterDef def = new FilterDef();
        def.setFilterName("gatehouse");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("gatehouse");
        map.addURLPattern("/*");
        ctx.addFilterMap(map);
        tomcat.start();
        return new EmbeddedTomcat(tomcat, listen.base(connector.getLocalPort()));
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
