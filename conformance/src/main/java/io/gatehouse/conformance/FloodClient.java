package io.gatehouse.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The flood's clients, in a process of their own so that client and server sockets do not share
 * one process's descriptor limit: opens {@code connections} connections to {@code port} at once,
 * posts one legacy report on each ({@code https://a.example/<i>}), prints {@code accepted <n>} (the
 * 204s), keeps every connection open until its standard input closes, then exits.
 */
public final class FloodClient {
    private FloodClient() {
    }

    /** {@code port connections}. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(30_000);
            sockets.add(s);
        }
        for (int i = 0; i < connections; i++) {
            String body = "{\"csp-report\": {\"document-uri\": \"https://a.example/" + i + "\", \"violated-directive\": \"img-src\"}}";
            sockets.get(i).getOutputStream().write(("POST /report/?token=phc_flood HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/csp-report\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        int accepted = 0;
        for (Socket s : sockets) {
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            if (r != null && r.status() == 204) {
                accepted++;
            }
        }
        System.out.println("accepted " + accepted);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections open until the test has measured
        }
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** Starts the client process against {@code port}. */
    static Process start(int port, int connections) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FloodClient.class.getName(), Integer.toString(port), Integer.toString(connections))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the {@code accepted <n>} line; -1 when the process ended without one. */
    static int accepted(Process p) throws IOException {
        InputStream out = p.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = out.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        String l = line.toString().strip();
        return l.startsWith("accepted ") ? Integer.parseInt(l.substring(9)) : -1;
    }

    /** Lets the client close its connections and waits for it. */
    static void finish(Process p) throws IOException, InterruptedException {
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
