package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.proxy.ClientIp;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The conformance kit against embedded Tomcat 11 with {@link GatehouseFilter}. */
class ServletConformanceTest extends AdapterConformanceTest {

    /** Starts Tomcat on 127.0.0.1:0 with {@code filter} in front of {@code servlet}. */
    static Server tomcat(jakarta.servlet.Filter filter, HttpServlet servlet) throws Exception {
        Path base = Files.createTempDirectory("gatehouse-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.toString());
        Tomcat.addServlet(ctx, "app", servlet);
        ctx.addServletMapping("/", "app");
        FilterDef def = new FilterDef();
        def.setFilterName("gatehouse");
        def.setFilter(filter);
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
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app) throws Exception {
        return tomcat(new GatehouseFilter(gatehouse), new AppServlet(app));
    }

    /** The conformance application as a plain servlet. */
    static final class AppServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient App app;

        AppServlet(App app) {
            this.app = app;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain; charset=utf-8");
            switch (req.getRequestURI()) {
                case "/app" -> {
                    app.sideEffects.incrementAndGet();
                    resp.getWriter().write("app");
                }
                case "/whoami" -> {
                    ClientIp client = GatehouseFilter.clientIp(req);
                    String ip = client.resolvedAddress().isPresent() ? req.getRemoteAddr() : "unresolved";
                    resp.getWriter().write(ip + " " + req.getScheme());
                }
                case "/cookies" -> {
                    Cookie session = new Cookie("sessionid", "abc");
                    session.setPath("/");
                    resp.addCookie(session);
                    resp.addHeader("Set-Cookie", "theme=dark");
                    resp.getWriter().write("cookies");
                }
                case "/_health" -> resp.getWriter().write("ok");
                default -> {
                    resp.setStatus(404);
                    resp.getWriter().write("not found");
                }
            }
        }
    }
}
