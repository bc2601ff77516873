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
    record Unresolved(String reason) implements ClientIp {
        public Unresolved {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "unresolved (" + reason + ")";
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
