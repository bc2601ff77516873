package io.gatehouse.http;

import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.HeaderLookup;
import org.jspecify.annotations.Nullable;

/**
 * A request as Gatehouse reads it, before the application runs: what an adapter implements over its
 * framework's request (a few one-line methods, no logic). Header names are case-insensitive and
 * {@link #values} returns every value of a header in the order received.
 */
public interface RequestView extends HeaderLookup {
    /** The method, as received ({@code GET}, {@code POST}, ...). */
    String method();

    /**
     * The path, raw (not decoded) and without the query, relative to the application (a servlet
     * context path removed). Use {@link RequestTarget} to split a request-target.
     */
    String path();

    /** The raw query string without {@code ?}, or null when there is none. */
    @Nullable String query();

    /** The {@code Host} header (or the HTTP/2 {@code :authority}), or null. */
    @Nullable String host();

    /** The socket peer's address, or null when the transport has none (a Unix domain socket). */
    @Nullable IpAddress peer();

    /** Whether the connection itself is TLS. */
    boolean tls();

    /** A view of these values: for adapters whose framework has them at hand. */
    static RequestView of(String method, String path, @Nullable String query, @Nullable String host,
                          @Nullable IpAddress peer, boolean tls,
                          HeaderLookup headers) {
        record Of(String method, String path, @Nullable String query, @Nullable String host, @Nullable IpAddress peer,
                  boolean tls, HeaderLookup headers)
                implements RequestView {
            @Override
            public java.util.List<String> values(String name) {
                return headers.values(name);
            }

            @Override
            public @Nullable String first(String name) {
                return headers.first(name);
            }

            @Override
            public @Nullable String only(String name) {
                return headers.only(name);
            }
        }
        return new Of(method, path, query, host, peer, tls, headers);
    }
}
