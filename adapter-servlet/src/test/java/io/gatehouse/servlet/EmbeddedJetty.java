package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Embedded Jetty 12 (ee10, Servlet 6.0) on port 0 with one servlet for {@code /}, async-supported;
 * the filter comes from {@code initializer}, a {@link ServletContainerInitializer} as an application
 * registers one.
 */
final class EmbeddedJetty implements AdapterConformanceTest.Server {
    private final Server server;
    private final URI base;

    private EmbeddedJetty(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    /**
     * Starts Jetty listening as {@code listen} says. Its one read timeout, the connector's idle timeout
     * (headers, bodies, idle connections alike), is a second longer than {@code readTimeoutSeconds}:
     * with the same one it races Gatehouse's own deadline for a report body and closes the connection
     * before Gatehouse's 408 goes out.
     */
    static EmbeddedJetty start(ServletContainerInitializer initializer, Servlet servlet, AdapterConformanceTest.Listen listen,
                               int readTimeoutSeconds)
            throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector;
        if (listen.tls() == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(listen.tls().keyStore().toString());
            tls.setKeyStorePassword(listen.tls().password());
            tls.setKeyStoreType("PKCS12");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        }
        connector.setHost(listen.address());
        connector.setPort(0);
        connector.setIdleTimeout((readTimeoutSeconds + 1) * 1000L);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServletContainerInitializer(initializer);
        ServletHolder app = new ServletHolder("app", servlet);
        app.setAsyncSupported(true);
        app.setInitOrder(1);
        context.addServlet(app, "/");
        server.setHandler(context);
        server.start();
        return new EmbeddedJetty(server, listen.base(connector.getLocalPort()));
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
