package io.gatehouse.config;

import io.gatehouse.internal.Text;
import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.IpParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Parsers for setting values; problems are collected, never thrown one by one. */
final class Settings {
    private static final Set<String> TRUE = Set.of("y", "yes", "t", "true", "on", "1");
    private static final Set<String> FALSE = Set.of("n", "no", "f", "false", "off", "0");

    private Settings() {
    }

    /** PostHog's {@code str_to_bool}: y, yes, t, true, on, 1 (any case, trimmed) are true; all else false. */
    static boolean strToBool(String value) {
        return value != null && TRUE.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    /** A strict boolean for Gatehouse's own settings: true or false words, else a problem. */
    static @Nullable Boolean strictBool(String name, String value, List<String> problems) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        problems.add(name + " " + Text.quote(value) + ": expected true or false (also yes/no, on/off, 1/0)");
        return null;
    }

    /** A whole number in [min, max], else a problem. */
    static @Nullable Long integer(String name, String value, long min, long max, List<String> problems) {
        String v = value.strip();
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " " + Text.quote(value) + ": expected a whole number from " + min + " to " + max);
        return null;
    }

    /** The non-blank, trimmed entries of a comma list, with their 1-based positions. */
    record Entry(int position, String text) {
    }

    static List<Entry> entries(String list) {
        List<Entry> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        String[] parts = list.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String t = parts[i].strip();
            if (!t.isEmpty()) {
                out.add(new Entry(i + 1, t));
            }
        }
        return out;
    }

    /** The {@code TRUSTED_PROXIES} entry for a proxy connected over a Unix domain socket (any case). */
    static final String UNIX = "unix:";

    /** A parsed proxy list: the blocks, and whether {@code unix:} was listed. */
    record Proxies(List<Cidr> blocks, boolean unix) {
    }

    /** Parses every entry of a CIDR list; problems name the setting, entry number, entry and index. */
    static List<Cidr> cidrs(String name, String list, List<String> problems, List<String> warnings) {
        return cidrsAndUnix(name, list, false, problems, warnings).blocks();
    }

    /** Parses {@code TRUSTED_PROXIES}: CIDR entries, and {@code unix:} for a proxy on a Unix domain socket. */
    static Proxies proxies(String name, String list, List<String> problems, List<String> warnings) {
        return cidrsAndUnix(name, list, true, problems, warnings);
    }

    private static Proxies cidrsAndUnix(String name, String list, boolean unixAllowed, List<String> problems,
                                        List<String> warnings) {
        List<Cidr> out = new ArrayList<>();
        boolean unix = false;
        for (Entry e : entries(list)) {
            String t = e.text();
            String at = name + " entry " + e.position() + " " + Text.quote(t) + ": ";
            // "unix" can start no IP literal ('u' is not a hex digit), so such an entry is meant as unix:.
            if (t.regionMatches(true, 0, UNIX, 0, 4)) {
                if (!unixAllowed) {
                    problems.add(at + "unix: names a proxy on a Unix domain socket and belongs in TRUSTED_PROXIES;"
                            + " clients are allowed by IP address at index 0");
                } else if (t.equalsIgnoreCase(UNIX)) {
                    unix = true;
                } else {
                    problems.add(at + "a proxy on a Unix domain socket is the entry unix: alone (socket paths are"
                            + " not told apart) at index " + (t.length() > 4 && t.charAt(4) == ':' ? 5 : 4));
                }
                continue;
            }
            try {
                Cidr c = Cidr.parse(t);
                if (c.hadHostBits()) {
                    warnings.add(name + " entry " + e.position() + " " + Text.quote(t) + " has host bits set; using " + c);
                }
                out.add(c);
            } catch (IpParseException ex) {
                problems.add(at + ex.reason() + " at index " + ex.index());
            }
        }
        return new Proxies(out, unix);
    }

    /** Parses every entry with {@code parser}; an exception's message becomes the problem. */
    static <T> List<T> each(String name, String list, Function<String, T> parser, List<String> problems) {
        List<T> out = new ArrayList<>();
        for (Entry e : entries(list)) {
            try {
                out.add(parser.apply(e.text()));
            } catch (IllegalArgumentException ex) {
                problems.add(name + " entry " + e.position() + " " + Text.quote(e.text()) + ": " + ex.getMessage());
            }
        }
        return out;
    }
}
