package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The conformance kit against embedded Tomcat 11 with {@link GatehouseFilter}. */
class ServletConformanceTest extends AdapterConformanceTest {

    /** Tomcat drops {@code Content-Length} beside {@code Transfer-Encoding} before any filter runs, and closes the connection after. */
    @Override
    protected boolean refusesContentLengthWithTransferEncoding() {
        return false;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception {
        return EmbeddedTomcat.start(new GatehouseFilter(gatehouse), new AppServlet(app), 200, listen,
                gatehouse.config().readTimeoutSeconds());
    }

    /** The conformance application as a plain servlet. */
    static final class AppServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient App app;

        AppServlet(App app) {
            this.app = app;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain; charset=utf-8");
            switch (req.getRequestURI()) {
                case "/app" -> {
                    app.sideEffects.incrementAndGet();
                    resp.getWriter().write("app");
                }
                case "/whoami" -> {
                    ClientIp client = GatehouseFilter.clientIp(req);
                    String ip = client.resolvedAddress().isPresent() ? req.getRemoteAddr() : "unresolved";
                    resp.getWriter().write(ip + " " + req.getScheme());
                }
                case "/cookies" -> {
                    Cookie session = new Cookie("sessionid", "abc");
                    session.setPath("/");
                    resp.addCookie(session);
                    resp.addHeader("Set-Cookie", "theme=dark");
                    resp.getWriter().write("cookies");
                }
                case "/_health" -> resp.getWriter().write("ok");
                case "/slow" -> {
                    try {
                        Thread.sleep(200); // a slow application, on purpose
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    resp.getWriter().write("slow");
                }
                default -> {
                    resp.setStatus(404);
                    resp.getWriter().write("not found");
                }
            }
        }
    }
}
