package io.gatehouse.spring;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.servlet.EmbeddedTomcat;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
        ConformanceController appController(App app) {
            return new ConformanceController(app);
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
