package io.gatehouse.internal.http;

import io.gatehouse.ip.IpAddress;

/** Validation of {@code Host} headers and origins. Not part of the API. */
public final class Hosts {
    private Hosts() {
    }

    /** {@code reg-name | IPv4 | [IPv6]} and an optional port 1-65535: letters, digits, '-', '.'. */
    public static boolean isHostAndPort(String host) {
        int n = host.length();
        if (n == 0 || n > 255 + 6) {
            return false;
        }
        int portStart = n;
        int hostEnd = n;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0 || IpAddress.tryParse(host.substring(1, close)).isEmpty()
                    || host.substring(1, close).indexOf('%') >= 0) {
                return false;
            }
            hostEnd = close + 1;
            if (hostEnd < n) {
                if (host.charAt(hostEnd) != ':') {
                    return false;
                }
                portStart = hostEnd + 1;
            }
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                hostEnd = colon;
                portStart = colon + 1;
            }
            if (hostEnd == 0 || hostEnd > 253) {
                return false;
            }
            for (int i = 0; i < hostEnd; i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                if (!ok) {
                    return false;
                }
            }
            if (host.charAt(0) == '.' || host.charAt(0) == '-' || host.contains("..")) {
                return false;
            }
        }
        if (portStart < n || (portStart == n && hostEnd < n)) {
            String port = host.substring(portStart);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            int p = Integer.parseInt(port);
            return p >= 1 && p <= 65535;
        }
        return true;
    }
}
