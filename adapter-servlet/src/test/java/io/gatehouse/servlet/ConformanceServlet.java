package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The conformance application as one plain servlet, the same on every container: each kit route
 * through the servlet API call it names (see {@link AdapterConformanceTest}).
 */
final class ConformanceServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient AdapterConformanceTest.App app;

    ConformanceServlet(AdapterConformanceTest.App app) {
        this.app = app;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; charset=utf-8");
        String path = req.getRequestURI();
        switch (path) {
            case "/app" -> {
                app.sideEffects.incrementAndGet();
                resp.getWriter().write("app");
            }
            case "/whoami" -> resp.getWriter().write(whoami(req));
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
            case "/cookie/header" -> {
                resp.addHeader("Set-Cookie", "gone=0");
                resp.setHeader("Set-Cookie", "s=1");
                resp.addHeader("Set-Cookie", "h=2; Path=/");
                resp.getWriter().write("cookies");
            }
            case "/cookie/after-write" -> {
                resp.getWriter().write("body ");
                resp.addCookie(new Cookie("w", "1"));
                resp.addHeader("Set-Cookie", "v=2");
                resp.getWriter().write("more");
            }
            case "/cookie/redirect/plain", "/cookie/redirect/keep-buffer", "/cookie/redirect/301", "/cookie/redirect/303",
                 "/cookie/redirect/relative" -> {
                resp.addCookie(new Cookie("r", "1"));
                resp.addHeader("Set-Cookie", "q=2");
                switch (path.substring("/cookie/redirect/".length())) {
                    case "plain" -> resp.sendRedirect("/app");
                    case "keep-buffer" -> resp.sendRedirect("/app", false);
                    case "301" -> resp.sendRedirect("/app", 301);
                    case "303" -> resp.sendRedirect("/app", 303, true);
                    default -> resp.sendRedirect("app?x=1");
                }
            }
            case "/cookie/error" -> {
                resp.addCookie(new Cookie("e", "1"));
                resp.addHeader("Set-Cookie", "f=2");
                resp.sendError(409);
            }
            case "/async", "/async-args" -> {
                AsyncContext async = path.equals("/async") ? req.startAsync() : req.startAsync(req, resp);
                async.start(() -> {
                    HttpServletResponse r = (HttpServletResponse) async.getResponse();
                    try {
                        r.addCookie(new Cookie("y", "1"));
                        r.addHeader("Set-Cookie", "z=2");
                        r.getWriter().write(whoami((HttpServletRequest) async.getRequest()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        async.complete();
                    }
                });
            }
            case "/session" -> {
                resp.getWriter().write("session");
                req.getSession();
            }
            case "/session/change" -> {
                HttpSession session = req.getSession(false);
                if (session == null) {
                    resp.sendError(400);
                    return;
                }
                resp.getWriter().write("changed");
                req.changeSessionId();
            }
            case "/request" -> resp.getWriter().write(request(req, req.getRequestURL().toString()));
            default -> {
                resp.setStatus(404);
                resp.getWriter().write("not found");
            }
        }
    }

    /** {@code /whoami}'s body: the client and scheme as {@code req} tells them. */
    static String whoami(HttpServletRequest req) {
        ClientIp client = GatehouseFilter.clientIp(req);
        return (client.resolvedAddress().isPresent() ? req.getRemoteAddr() : "unresolved") + " " + req.getScheme();
    }

    /** {@code /request}'s body, with {@code url} as the application built it. */
    static String request(HttpServletRequest req, String url) {
        return "secure=" + req.isSecure() + " scheme=" + req.getScheme() + " name=" + req.getServerName()
                + " port=" + req.getServerPort() + " url=" + url + " addr=" + req.getRemoteAddr()
                + " host=" + req.getRemoteHost() + " remotePort=" + req.getRemotePort();
    }
}
