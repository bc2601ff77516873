package io.gatehouse.csp;

import java.util.UUID;
import java.util.random.RandomGenerator;

/** RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then random bits. */
final class Uuid7 {
    private Uuid7() {
    }

    static UUID generate(long epochMillis, RandomGenerator random) {
        long hi = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lo = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo);
    }
}
