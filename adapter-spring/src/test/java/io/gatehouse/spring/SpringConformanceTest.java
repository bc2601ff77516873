package io.gatehouse.spring;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.servlet.EmbeddedTomcat;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** The conformance kit against Spring MVC's DispatcherServlet on embedded Tomcat 11, wired by {@link EnableGatehouse}. */
class SpringConformanceTest extends AdapterConformanceTest {

    @Configuration
    @EnableWebMvc
    @EnableGatehouse
    static class WebConfig {
        @Bean
        AppController appController(App app) {
            return new AppController(app);
        }
    }

    /** The conformance application as a Spring controller. */
    @RestController
    static final class AppController {
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

    /** Tomcat drops {@code Content-Length} beside {@code Transfer-Encoding} before any filter runs, and closes the connection after. */
    @Override
    protected boolean refusesContentLengthWithTransferEncoding() {
        return false;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception {
        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(WebConfig.class);
        spring.addBeanFactoryPostProcessor(bf -> {
            bf.registerSingleton("gatehouse", gatehouse);
            bf.registerSingleton("app", app);
        });
        // As an application would: the proxy finds the DispatcherServlet's context on the first request.
        EmbeddedTomcat tomcat = EmbeddedTomcat.start(GatehouseSpring.filterProxy(), new DispatcherServlet(spring), 200, listen,
                gatehouse.config().readTimeoutSeconds());
        return new Server() {
            @Override
            public URI base() {
                return tomcat.base();
            }

            @Override
            public void close() {
                tomcat.close();
                spring.close();
            }
        };
    }
}
