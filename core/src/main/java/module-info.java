/**
 * Gatehouse core: the IP allow-list, client-IP resolution through proxies, the secure-cookie policy
 * and https redirect, secret-key validation and the CSP report endpoint, as one exchange that every
 * adapter calls. Framework-free; its only dependency is jackson-core.
 */
module io.gatehouse.core {
    // CspEvent.writeJson takes a JsonGenerator, and PostHogForwarder.Builder an HttpClient.
    requires transitive com.fasterxml.jackson.core;
    requires transitive java.net.http;

    exports io.gatehouse.access;
    exports io.gatehouse.config;
    exports io.gatehouse.cookie;
    exports io.gatehouse.csp;
    exports io.gatehouse.csp.header;
    exports io.gatehouse.csp.sink;
    exports io.gatehouse.http;
    exports io.gatehouse.ip;
    exports io.gatehouse.proxy;
    exports io.gatehouse.secret;
    // io.gatehouse.internal and io.gatehouse.internal.csp are not exported.
}
