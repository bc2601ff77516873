package io.gatehouse.proxy;

import java.util.Locale;

/** The request headers a proxy can name the client in. */
public enum ForwardedHeader {
    /** {@code X-Forwarded-For: client, proxy1, proxy2}: the de-facto standard, and the default. */
    X_FORWARDED_FOR("X-Forwarded-For"),
    /** RFC 7239 {@code Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"}. */
    FORWARDED("Forwarded"),
    /** {@code X-Real-IP: client}, as nginx's {@code proxy_set_header X-Real-IP} sends it. */
    X_REAL_IP("X-Real-IP");

    private final String headerName;

    ForwardedHeader(String headerName) {
        this.headerName = headerName;
    }

    /** The HTTP header name, e.g. {@code X-Forwarded-For}. */
    public String headerName() {
        return headerName;
    }

    /**
     * The header of this name (case-insensitive, surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ForwardedHeader fromHeaderName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (ForwardedHeader h : values()) {
            if (h.headerName.toLowerCase(Locale.ROOT).equals(n)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown client-IP header " + io.gatehouse.internal.Text.quote(name)
                + " (expected X-Forwarded-For, Forwarded or X-Real-IP)");
    }
}
