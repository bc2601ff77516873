package io.gatehouse.ip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A compiled, immutable set of CIDR blocks answering "is this address in any block?".
 *
 * <p>Built once: blocks are merged into disjoint sorted ranges per family (IPv4, IPv6), and a
 * first-level table indexed by the address bits below the ranges' common prefix narrows each lookup
 * to a bucket of a few ranges, which a binary search finishes. A lookup from a string parses and
 * matches in one pass and allocates nothing. Thread-safe.
 *
 * <p>IPv4 and IPv4-mapped IPv6 are one address, so {@code 10.0.0.0/8} matches
 * {@code ::ffff:10.1.2.3}, and a mapped block ({@code ::ffff:10.0.0.0/104}) is the IPv4 block. There
 * is no cross-family match: an IPv6 block matches IPv6 addresses only, so {@code ::/0} or
 * {@code ::/80} match no IPv4 address although their 128-bit range contains {@code ::ffff:0:0/96}.
 * A set that admits every address lists both families: {@code 0.0.0.0/0} and {@code ::/0}.
 */
public final class CidrSet {
    /** {@link #match} answer: the text is an address inside the set. */
    public static final int MATCH = 1;
    /** {@link #match} answer: the text is an address outside the set. */
    public static final int NO_MATCH = 0;
    /** {@link #match} answer: the text is not an IP literal. */
    public static final int INVALID = -1;

    private static final CidrSet EMPTY = new CidrSet(List.of());

    private final List<Cidr> blocks;
    private final V4Table v4;
    private final V6Table v6;
    private final Matcher matcher = new Matcher();

    private CidrSet(List<Cidr> blocks) {
        this.blocks = blocks;
        List<long[]> v4Ranges = new ArrayList<>();
        List<long[]> v6Ranges = new ArrayList<>();
        for (Cidr c : blocks) {
            if (c.isIpv4()) {
                v4Ranges.add(new long[] {c.firstLo() & 0xffff_ffffL, c.lastLo() & 0xffff_ffffL});
            } else {
                // Its 128-bit range may contain ::ffff:0:0/96, but IPv4 (and IPv4-mapped) addresses
                // are only ever looked up in the IPv4 table, so it matches IPv6 addresses only.
                v6Ranges.add(new long[] {c.firstHi(), c.firstLo(), c.lastHi(), c.lastLo()});
            }
        }
        this.v4 = new V4Table(v4Ranges);
        this.v6 = new V6Table(v6Ranges);
    }

    /** The empty set: matches nothing. */
    public static CidrSet empty() {
        return EMPTY;
    }

    /** A set of these blocks (overlaps and duplicates allowed). */
    public static CidrSet of(Collection<Cidr> blocks) {
        if (blocks.isEmpty()) {
            return EMPTY;
        }
        for (Cidr c : blocks) {
            if (c == null) {
                throw new NullPointerException("null block");
            }
        }
        return new CidrSet(List.copyOf(blocks));
    }

    /** A set of these blocks. */
    public static CidrSet of(Cidr... blocks) {
        return of(Arrays.asList(blocks));
    }

    /** The blocks as given. */
    public List<Cidr> blocks() {
        return blocks;
    }

    /** True when the set has no block. */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether {@code address} lies in any block. */
    public boolean contains(IpAddress address) {
        return address.isIpv4()
                ? v4.contains(address.low() & 0xffff_ffffL)
                : v6.contains(address.high(), address.low());
    }

    /** Whether the held address lies in any block (false when the holder is empty). */
    public boolean contains(MutableIpAddress address) {
        if (!address.isSet()) {
            return false;
        }
        return address.isIpv4()
                ? v4.contains(address.low() & 0xffff_ffffL)
                : v6.contains(address.high(), address.low());
    }

    /** Whether {@code text} is an IP literal inside any block; anything that is not is outside. */
    public boolean contains(CharSequence text) {
        return match(text, 0, text.length()) == MATCH;
    }

    /**
     * Parses {@code text[from, to)} as an IP literal from request data (a zone id is ignored) and
     * looks it up, allocating nothing.
     *
     * @return {@link #MATCH}, {@link #NO_MATCH}, or {@link #INVALID} when it is not an IP literal
     */
    public int match(CharSequence text, int from, int to) {
        int r = IpParser.parse(text, from, to, true, matcher);
        return r < 0 ? INVALID : r;
    }

    @Override
    public String toString() {
        return "CidrSet" + blocks;
    }

    private final class Matcher implements IpParser.Target {
        @Override
        public int v4(int address) {
            return v4.contains(Integer.toUnsignedLong(address)) ? MATCH : NO_MATCH;
        }

        @Override
        public int v6(long hi, long lo) {
            return v6.contains(hi, lo) ? MATCH : NO_MATCH;
        }
    }

    /** Number of first-level buckets, as a power of two, for {@code n} ranges. */
    private static int tableBits(int n, int available) {
        int bits = Math.min(16, 33 - Integer.numberOfLeadingZeros(n));
        return Math.max(0, Math.min(bits, available));
    }

    /** Disjoint sorted IPv4 ranges, unsigned 32-bit values held in longs. */
    static final class V4Table {
        private final long[] starts;
        private final long[] ends;
        private final long min;
        private final long max;
        private final long base;
        private final int shift;
        private final int[] table;

        V4Table(List<long[]> ranges) {
            ranges.sort(Comparator.comparingLong(r -> r[0]));
            long[] s = new long[ranges.size()];
            long[] e = new long[ranges.size()];
            int n = 0;
            for (long[] r : ranges) {
                if (n > 0 && r[0] <= e[n - 1] + 1) {
                    e[n - 1] = Math.max(e[n - 1], r[1]);
                } else {
                    s[n] = r[0];
                    e[n] = r[1];
                    n++;
                }
            }
            starts = Arrays.copyOf(s, n);
            ends = Arrays.copyOf(e, n);
            if (n == 0) {
                min = 1;
                max = 0;
                base = 0;
                shift = 0;
                table = new int[] {0, 0};
                return;
            }
            min = starts[0];
            max = ends[n - 1];
            // Bits shared by every address in [min, max] carry no information: index on the ones below.
            int common = Long.numberOfLeadingZeros(min ^ max) - 32;
            int bits = tableBits(n, 32 - common);
            shift = 32 - common - bits;
            base = min & ~((1L << (32 - common)) - 1);
            table = buildTable(bits, n, i -> (starts[i] - base) >>> shift);
        }

        boolean contains(long a) {
            if (a < min || a > max) {
                return false;
            }
            int b = (int) ((a - base) >>> shift);
            // Ranges starting inside bucket b are [table[b], table[b+1]); the candidate is the last
            // range starting at or before a, which may also be the one just before the bucket.
            int lo = table[b];
            int hi = table[b + 1] - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] <= a) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            int idx = lo - 1;
            return idx >= 0 && ends[idx] >= a;
        }
    }

    /** table[b] = index of the first range whose bucket is b or later; table[2^bits] = n. */
    private static int[] buildTable(int bits, int n, java.util.function.IntToLongFunction bucketOf) {
        int[] table = new int[(1 << bits) + 1];
        int i = 0;
        for (int b = 0; b <= 1 << bits; b++) {
            while (i < n && bucketOf.applyAsLong(i) < b) {
                i++;
            }
            table[b] = i;
        }
        return table;
    }

    /**
     * Disjoint sorted IPv6 ranges of 128-bit values, compared unsigned, held interleaved as
     * {@code [startHi, startLo, endHi, endLo]} per range so a probe touches one or two cache lines.
     */
    static final class V6Table {
        private final long[] r;
        private final int n;
        private final long base;
        private final int shift;
        private final int[] table;

        V6Table(List<long[]> ranges) {
            ranges.sort((x, y) -> compare(x[0], x[1], y[0], y[1]));
            long[] m = new long[4 * ranges.size()];
            int count = 0;
            for (long[] x : ranges) {
                int last = 4 * (count - 1);
                if (count > 0 && adjoinsOrOverlaps(m[last + 2], m[last + 3], x[0], x[1])) {
                    if (compare(x[2], x[3], m[last + 2], m[last + 3]) > 0) {
                        m[last + 2] = x[2];
                        m[last + 3] = x[3];
                    }
                } else {
                    System.arraycopy(x, 0, m, 4 * count, 4);
                    count++;
                }
            }
            r = Arrays.copyOf(m, 4 * count);
            n = count;
            if (n == 0) {
                base = 0;
                shift = 0;
                table = new int[] {0, 0};
                return;
            }
            long minHi = r[0];
            long maxHi = r[4 * n - 2];
            // Bucket on the high 64 bits below their common prefix (a single bucket when they are equal).
            int common = minHi == maxHi ? 64 : Long.numberOfLeadingZeros(minHi ^ maxHi);
            int bits = tableBits(n, 64 - common);
            shift = 64 - common - bits;
            base = common == 64 ? minHi : common == 0 ? 0 : minHi & (-1L << (64 - common));
            table = buildTable(bits, n, i -> (r[4 * i] - base) >>> shift);
        }

        boolean contains(long hi, long lo) {
            if (n == 0 || compare(hi, lo, r[0], r[1]) < 0 || compare(hi, lo, r[4 * n - 2], r[4 * n - 1]) > 0) {
                return false;
            }
            int b = (int) ((hi - base) >>> shift);
            int l = table[b];
            int h = table[b + 1] - 1;
            while (l <= h) {
                int mid = (l + h) >>> 1;
                if (compare(r[4 * mid], r[4 * mid + 1], hi, lo) <= 0) {
                    l = mid + 1;
                } else {
                    h = mid - 1;
                }
            }
            int idx = l - 1;
            return idx >= 0 && compare(r[4 * idx + 2], r[4 * idx + 3], hi, lo) >= 0;
        }

        private static boolean adjoinsOrOverlaps(long endHi, long endLo, long startHi, long startLo) {
            if (compare(startHi, startLo, endHi, endLo) <= 0) {
                return true;
            }
            // start == end + 1 (end cannot be all ones here, since start > end)
            long nextLo = endLo + 1;
            long nextHi = nextLo == 0 ? endHi + 1 : endHi;
            return nextHi == startHi && nextLo == startLo;
        }

        static int compare(long h1, long l1, long h2, long l2) {
            int c = Long.compareUnsigned(h1, h2);
            return c != 0 ? c : Long.compareUnsigned(l1, l2);
        }
    }
}
