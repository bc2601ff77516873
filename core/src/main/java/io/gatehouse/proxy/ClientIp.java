package io.gatehouse.proxy;

import io.gatehouse.ip.IpAddress;
import java.util.Objects;
import java.util.Optional;

/** The outcome of client-IP resolution: an address, or unresolved with the reason. */
public sealed interface ClientIp permits ClientIp.Resolved, ClientIp.Unresolved {

    /** The client is {@code address}. */
    record Resolved(IpAddress address) implements ClientIp {
        public Resolved {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toString() {
            return address.toString();
        }
    }

    /**
     * The client could not be determined (a hop where the client should be is not an IP, hides the
     * client, or the chain is longer than the hop limit). Fails closed: an enabled allow-list denies it.
     *
     * @param reason why, with any echoed header text quoted and cut short
     */
    record Unresolved(Cause cause, String reason) implements ClientIp {
        public Unresolved {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
        }

        /** Unresolved for {@code reason}, of cause {@link Cause#OTHER}. */
        public Unresolved(String reason) {
            this(Cause.OTHER, reason);
        }

        @Override
        public String toString() {
            return "unresolved (" + reason + ")";
        }
    }

    /**
     * Why a client is unresolved, as a closed set (for counting; {@link Unresolved#reason()} has the
     * details). {@link #tag()} is the lower-case name metrics use.
     */
    enum Cause {
        /** A hop where the client should be is not an IP address. */
        NOT_AN_IP,
        /** A hop where the client should be hides the client ({@code unknown}, {@code _obfuscated}). */
        HIDDEN,
        /** More trusted hops than {@code GATEHOUSE_MAX_FORWARDED_HOPS}. */
        TOO_MANY_HOPS,
        /** A forwarded header that does not parse. */
        MALFORMED_HEADER,
        /** A forwarded header longer than the resolver reads. */
        HEADER_TOO_LONG,
        /** A {@code Forwarded} element without {@code for=} where the client should be. */
        NO_FOR,
        /** The connection has no peer IP address (a Unix domain socket) and nothing names the client. */
        NO_PEER_ADDRESS,
        /** Anything else. */
        OTHER;

        private final String tag = name().toLowerCase(java.util.Locale.ROOT);

        /** The cause in lower case, e.g. {@code not_an_ip}. */
        public String tag() {
            return tag;
        }
    }

    /** A resolved client. */
    static ClientIp of(IpAddress address) {
        return new Resolved(address);
    }

    /** The address when resolved. */
    default Optional<IpAddress> resolvedAddress() {
        return this instanceof Resolved r ? Optional.of(r.address()) : Optional.empty();
    }
}
