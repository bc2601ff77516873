package io.gatehouse.conformance;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Embedded Tomcat 11 on 127.0.0.1:0 with one filter for {@code /*} in front of one servlet for {@code /}. */
public final class EmbeddedTomcat implements AdapterConformanceTest.Server {
    private final Tomcat tomcat;
    private final int port;

    private EmbeddedTomcat(Tomcat tomcat, int port) {
        this.tomcat = tomcat;
        this.port = port;
    }

    /**
     * Starts Tomcat with {@code filter} (named {@code gatehouse}) in front of {@code servlet}, both
     * registered with async support.
     */
    public static EmbeddedTomcat start(Filter filter, Servlet servlet) throws Exception {
        return start(filter, servlet, 200);
    }

    /** As {@link #start(Filter, Servlet)}, with at most {@code maxThreads} request threads. */
    public static EmbeddedTomcat start(Filter filter, Servlet servlet, int maxThreads) throws Exception {
        Path base = Files.createTempDirectory("gatehouse-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", Integer.toString(maxThreads));
        connector.setProperty("minSpareThreads", Integer.toString(Math.min(10, maxThreads)));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.toString());
        Wrapper app = Tomcat.addServlet(ctx, "app", servlet);
        app.setLoadOnStartup(1);
        app.setAsyncSupported(true);
        ctx.addServletMapping("/", "app");
        FilterDef def = new FilterDef();
        def.setFilterName("gatehouse");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("gatehouse");
        map.addURLPattern("/*");
        ctx.addFilterMap(map);
        tomcat.start();
        return new EmbeddedTomcat(tomcat, connector.getLocalPort());
    }

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
}
