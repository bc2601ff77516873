package io.gatehouse.netty;

import io.gatehouse.http.RequestView;
import io.gatehouse.http.ResponseHeaders;
import io.gatehouse.ip.IpAddress;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The Netty adapter's own request view and response headers (package-private in
 * {@link GatehouseHandler}), for benchmarks: the decision measured through exactly the code the
 * handler runs per request, not a copy of it. One per thread, reused, as the handler keeps one per
 * channel.
 */
public final class NettyAdapterViews {
    private final GatehouseHandler.View view = new GatehouseHandler.View();
    private final GatehouseHandler.Headers headers = new GatehouseHandler.Headers();

    /** The view of {@code request} the handler hands to {@code Gatehouse.decide}. */
    public RequestView request(HttpRequest request, IpAddress peer, boolean tls) {
        return view.of(request, peer, tls);
    }

    /** The response headers the handler hands to {@code Gatehouse.decorate}. */
    public ResponseHeaders response(HttpHeaders response) {
        headers.headers = response;
        return headers;
    }
}
