package io.gatehouse.spring;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
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
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app) throws Exception {
        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(WebConfig.class);
        spring.addBeanFactoryPostProcessor(bf -> {
            bf.registerSingleton("gatehouse", gatehouse);
            bf.registerSingleton("app", app);
        });
        Path base = Files.createTempDirectory("gatehouse-spring");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.toString());
        Wrapper dispatcher = Tomcat.addServlet(ctx, "dispatcher", new DispatcherServlet(spring));
        dispatcher.setLoadOnStartup(1);
        ctx.addServletMapping("/", "dispatcher");
        FilterDef def = new FilterDef();
        def.setFilterName("gatehouse");
        // As an application would: the proxy finds the DispatcherServlet's context on the first request.
        def.setFilter(GatehouseSpring.filterProxy());
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("gatehouse");
        map.addURLPattern("/*");
        ctx.addFilterMap(map);
        tomcat.start();
        int port = connector.getLocalPort();
        return new Server() {
            @Override
            public URI base() {
                return URI.create("http://127.0.0.1:" + port);
            }

            @Override
            public void close() {
                try {
                    tomcat.stop();
                    tomcat.destroy();
                    spring.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
