package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainerInitializerInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.xnio.Options;

/**
 * Embedded Undertow 2.3 (Servlet 6.0) on port 0 with one servlet for {@code /}, async-supported; the
 * filter comes from {@code initializer}, a {@link ServletContainerInitializer} as an application
 * registers one (Undertow initialises filters only after the context, so a filter alone cannot
 * configure the session cookie).
 */
final class EmbeddedUndertow implements AdapterConformanceTest.Server {
    private final Undertow undertow;
    private final DeploymentManager deployment;
    private final URI base;

    private EmbeddedUndertow(Undertow undertow, DeploymentManager deployment, URI base) {
        this.undertow = undertow;
        this.deployment = deployment;
        this.base = base;
    }

    /**
     * Starts Undertow listening as {@code listen} says, its read timeouts (the request's headers, an
     * idle connection) {@code readTimeoutSeconds}, and its request header limit 8 KiB as Tomcat's and
     * Jetty's are (Undertow's own default is 1 MiB). Its socket read timeout is a second longer:
     * without one, Undertow drains a request body a stalled client never finishes forever, even after
     * the response said {@code Connection: close}; with the same one, it races Gatehouse's own body
     * deadline and cuts the connection before the 408.
     */
    static EmbeddedUndertow start(ServletContainerInitializer initializer, Servlet servlet, AdapterConformanceTest.Listen listen,
                                  int readTimeoutSeconds) throws Exception {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(EmbeddedUndertow.class.getClassLoader())
                .setContextPath("")
                .setDeploymentName("gatehouse-conformance")
                .addServletContainerInitializer(new ServletContainerInitializerInfo(initializer.getClass(),
                        new ImmediateInstanceFactory<>(initializer), Set.of()))
                .addServlet(Servlets.servlet("app", servlet.getClass(), new ImmediateInstanceFactory<>(servlet))
                        .addMapping("/").setAsyncSupported(true).setLoadOnStartup(1));
        DeploymentManager deployment = Servlets.newContainer().addDeployment(info);
        deployment.deploy();
        Undertow.Builder builder = Undertow.builder()
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, readTimeoutSeconds * 1000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, readTimeoutSeconds * 1000)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 8192)
                .setSocketOption(Options.READ_TIMEOUT, (readTimeoutSeconds + 1) * 1000)
                .setSocketOption(Options.BACKLOG, 4096)
                .setIoThreads(2)
                .setHandler(deployment.start());
        if (listen.tls() == null) {
            builder.addHttpListener(0, listen.address());
        } else {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(listen.tls().keyManagers().getKeyManagers(), null, null);
            builder.addHttpsListener(0, listen.address(), tls);
        }
        Undertow undertow = builder.build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new EmbeddedUndertow(undertow, deployment, listen.base(port));
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() {
        undertow.stop();
        try {
            deployment.stop();
        } catch (jakarta.servlet.ServletException e) {
            throw new IllegalStateException(e);
        }
        deployment.undeploy();
    }
}
