package io.gatehouse.spring;

import io.gatehouse.conformance.AdapterConformanceTest.App;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The conformance kit's application as one Spring controller: for Spring MVC here and for the Boot starter's tests. */
@RestController
public final class ConformanceController {
    private final App app;

    public ConformanceController(App app) {
        this.app = app;
    }

    @GetMapping("/app")
    String app() {
        app.sideEffects.incrementAndGet();
        return "app";
    }

    @GetMapping("/whoami")
    String whoami(ClientIp client, HttpServletRequest request) {
        return client.resolvedAddress().map(Object::toString).orElse("unresolved") + " " + request.getScheme();
    }

    @GetMapping("/cookies")
    String cookies(HttpServletResponse response) {
        Cookie session = new Cookie("sessionid", "abc");
        session.setPath("/");
        response.addCookie(session);
        response.addHeader("Set-Cookie", "theme=dark");
        return "cookies";
    }

    @GetMapping("/_health")
    String health() {
        return "ok";
    }

    @GetMapping("/slow")
    java.util.concurrent.Callable<String> slow() {
        return () -> {
            Thread.sleep(200); // a slow application answering asynchronously, on purpose
            return "slow";
        };
    }

    @GetMapping("/cookie/header")
    String header(HttpServletResponse response) {
        response.addHeader("Set-Cookie", "gone=0");
        response.setHeader("Set-Cookie", "s=1");
        response.addHeader("Set-Cookie", "h=2; Path=/");
        return "cookies";
    }

    @GetMapping("/cookie/after-write")
    void afterWrite(HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().write("body ");
        response.addCookie(new Cookie("w", "1"));
        response.addHeader("Set-Cookie", "v=2");
        response.getWriter().write("more");
    }

    /** Spring's own redirects ({@code redirect:} views) where it has them, the servlet API's otherwise. */
    @GetMapping("/cookie/redirect/{form}")
    ModelAndView redirect(@PathVariable("form") String form, HttpServletResponse response) throws IOException {
        response.addCookie(new Cookie("r", "1"));
        response.addHeader("Set-Cookie", "q=2");
        switch (form) {
            case "plain" -> {
                return new ModelAndView("redirect:/app");
            }
            case "relative" -> {
                return new ModelAndView("redirect:app?x=1");
            }
            case "keep-buffer" -> response.sendRedirect("/app", false);
            case "301" -> response.sendRedirect("/app", 301);
            case "303" -> response.sendRedirect("/app", 303, true);
            default -> response.sendError(404);
        }
        return null;
    }

    @GetMapping("/cookie/error")
    void error(HttpServletResponse response) throws IOException {
        response.addCookie(new Cookie("e", "1"));
        response.addHeader("Set-Cookie", "f=2");
        response.sendError(409);
    }

    /** Spring's own asynchronous processing: a {@link DeferredResult} completed from another thread. */
    @GetMapping("/async")
    DeferredResult<String> async(HttpServletRequest request, HttpServletResponse response) {
        DeferredResult<String> result = new DeferredResult<>();
        new Thread(() -> {
            response.addCookie(new Cookie("y", "1"));
            response.addHeader("Set-Cookie", "z=2");
            result.setResult(request.getRemoteAddr() + " " + request.getScheme());
        }).start();
        return result;
    }

    /** The servlet API's asynchronous processing, inside Spring MVC. */
    @GetMapping("/async-args")
    void asyncArgs(HttpServletRequest request, HttpServletResponse response) {
        AsyncContext async = request.startAsync(request, response);
        async.start(() -> {
            HttpServletResponse r = (HttpServletResponse) async.getResponse();
            try {
                r.setContentType("text/plain; charset=utf-8");
                r.addCookie(new Cookie("y", "1"));
                r.addHeader("Set-Cookie", "z=2");
                HttpServletRequest q = (HttpServletRequest) async.getRequest();
                r.getWriter().write(q.getRemoteAddr() + " " + q.getScheme());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                async.complete();
            }
        });
    }

    @GetMapping("/session")
    void session(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().write("session");
        request.getSession();
    }

    @GetMapping("/session/change")
    void changeSession(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getSession(false) == null) {
            response.sendError(400);
            return;
        }
        response.getWriter().write("changed");
        request.changeSessionId();
    }

    /** The URL as Spring builds it from the request ({@code ServletUriComponentsBuilder}). */
    @GetMapping("/request")
    String request(HttpServletRequest request) {
        return "secure=" + request.isSecure() + " scheme=" + request.getScheme() + " name=" + request.getServerName()
                + " port=" + request.getServerPort() + " url=" + ServletUriComponentsBuilder.fromCurrentRequest().toUriString()
                + " addr=" + request.getRemoteAddr() + " host=" + request.getRemoteHost()
                + " remotePort=" + request.getRemotePort();
    }
}
