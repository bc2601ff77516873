package io.gatehouse.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Raw HTTP/1.1 over a socket, for what a well-behaved client never sends: the kit's malformed and slow cases. */
public final class RawHttp {
    private RawHttp() {
    }

    /** A response as read off the wire. */
    public record Reply(int status, List<String> headerLines, byte[] body) {
        /** The first value of header {@code name}. */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst();
        }

        /** The body as UTF-8. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code request} (ISO-8859-1) to {@code s}. */
    public static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /**
     * Reads one response (a 1xx is returned as it is); the body by {@code Content-Length} or chunked,
     * none for a response to {@code HEAD} or a 1xx/204/304. Null when the connection closed before
     * any byte of it.
     */
    public static Reply read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        List<String> headers = new ArrayList<>();
        for (String l; (l = line(in)) != null && !l.isEmpty(); ) {
            headers.add(l);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Reply r = new Reply(status, headers, new byte[0]);
        if (head || status < 200 || status == 204 || status == 304) {
            return r;
        }
        if (r.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
            return new Reply(status, headers, body.toByteArray());
        }
        int length = r.header("Content-Length").map(Integer::parseInt).orElse(0);
        return new Reply(status, headers, in.readNBytes(length));
    }

    /**
     * Whether the server closed the connection (end of stream or reset) within the socket's read
     * timeout, reading and dropping anything it still sends.
     */
    public static boolean closedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            while (in.read(b) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
