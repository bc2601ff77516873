package io.gatehouse.boot;

import io.gatehouse.conformance.AdapterConformanceTest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** A real Boot application on embedded Tomcat, started as an application's {@code main} would start it. */
final class BootApp implements AdapterConformanceTest.Server {
    final ConfigurableApplicationContext context;
    private final URI base;

    private BootApp(ConfigurableApplicationContext context, URI base) {
        this.context = context;
        this.base = base;
    }

    /** As {@link #start(Class, Map, AdapterConformanceTest.Listen, ApplicationContextInitializer)}, on 127.0.0.1. */
    static BootApp start(Class<?> source, Map<String, Object> properties) {
        return start(source, properties, AdapterConformanceTest.Listen.DEFAULT, context -> { });
    }

    /**
     * Runs {@code source} with {@code properties} (Boot's default properties: the lowest precedence; no
     * {@code application.properties} unless {@code spring.config.name} names one) and command-line {@code args},
     * listening as {@code listen} says on port 0.
     */
    static BootApp start(Class<?> source, Map<String, Object> properties, AdapterConformanceTest.Listen listen,
                         ApplicationContextInitializer<ConfigurableApplicationContext> initializer, String... args) {
        Map<String, Object> p = new HashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("spring.main.log-startup-info", "false");
        p.put("logging.level.root", "warn");
        p.put("spring.config.name", "gatehouse-none");
        p.put("server.port", "0");
        p.put("server.address", listen.address());
        if (listen.tls() != null) {
            p.put("server.ssl.key-store", "file:" + listen.tls().keyStore());
            p.put("server.ssl.key-store-password", listen.tls().password());
            p.put("server.ssl.key-store-type", "PKCS12");
        }
        p.putAll(properties);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(source)
                .web(WebApplicationType.SERVLET)
                .properties(p)
                .initializers(initializer)
                .run(args);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new BootApp(context, listen.base(port));
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() {
        context.close();
    }
}
