package io.gatehouse.boot;

import io.gatehouse.conformance.AdapterConformanceTest.App;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The conformance kit's application as a Boot application: auto-configuration and one controller, nothing else. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ConformanceApp.AppController.class)
class ConformanceApp {

    /** The kit's routes; the {@link App} is a bean the test registers. */
    @RestController
    static class AppController {
        private final App app;

        AppController(App app) {
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
    }
}
