package io.gatehouse.boot;

import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A new Boot application with the starter on its class path and no Gatehouse code of its own: a few routes,
 * and an error page that sets a cookie (to see that ERROR dispatches pass the cookie policy).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({PlainApp.Routes.class, PlainApp.ErrorPage.class})
public class PlainApp {

    /** Runs the application and prints {@code GATEHOUSE_TEST_PORT=<port>} once it listens: for tests in a child JVM. */
    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(PlainApp.class, args);
        System.out.println("GATEHOUSE_TEST_PORT=" + ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @RestController
    static class Routes {
        @GetMapping("/app")
        String app() {
            return "app";
        }

        @PostMapping("/app")
        String post() {
            return "posted";
        }

        @GetMapping("/whoami")
        String whoami(ClientIp client, HttpServletRequest request) {
            return client.resolvedAddress().map(Object::toString).orElse("unresolved") + " " + request.getScheme();
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }
    }

    /** The error page: says who the client is and sets a cookie while it renders (an ERROR dispatch). */
    @RestController
    static class ErrorPage implements ErrorController {
        @RequestMapping("/error")
        String error(HttpServletRequest request, HttpServletResponse response) {
            response.addHeader("Set-Cookie", "error_seen=1; Path=/");
            return "error for " + request.getRemoteAddr() + " " + request.getScheme();
        }
    }
}
