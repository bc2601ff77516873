package io.gatehouse.secret;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Judges a secret key ({@code SECRET_KEY} and each of {@code SECRET_KEY_FALLBACKS}). Findings name the setting, the key's length and the rule,
 * never the value. Outside development ({@code DEBUG}/{@code TEST}) a missing key (unless the
 * application says it has no secret), a placeholder or a weak key is fatal; in development a
 * placeholder or weak key is a warning.
 */
public final class SecretKeyPolicy {
    /** Shortest acceptable key. */
    public static final int MIN_LENGTH = 32;
    /**
     * Fewest distinct characters in an acceptable key. A real 32-character hex key uses about 14 of
     * its 16 symbols; it uses fewer than 8 with probability 3.5e-8 (fewer than 10: 1e-4, which
     * refused about one real key in ten thousand).
     */
    public static final int MIN_DISTINCT = 8;
    /**
     * Least estimated entropy (length times the per-character Shannon entropy of the key itself), in
     * bits. The estimate undercounts short random keys and varies from key to key, so the bar sits
     * well below 128: keys from {@code openssl rand -hex 16} (128 real bits) estimate at 116 on
     * average, and the lowest of 500,000 such keys estimated 93 (at a bar of 100, about one real key
     * in a thousand was refused). Keys dominated by one character still fall far below it.
     */
    public static final double MIN_ENTROPY_BITS = 80;

    /** PostHog's documented placeholder. */
    public static final String POSTHOG_PLACEHOLDER = "<randomly generated secret key>";

    private static final Set<String> PLACEHOLDERS = Set.of(
            POSTHOG_PLACEHOLDER, "changeme", "change-me", "change_me", "changethis", "change-this", "changeit",
            "secret", "secretkey", "secret-key", "secret_key", "mysecret", "mysecretkey", "my-secret-key",
            "yoursecretkey", "your-secret-key", "your_secret_key", "supersecret", "topsecret", "password",
            "passw0rd", "default", "example", "test", "testing", "dev", "development", "insecure", "notsecret",
            "not-a-secret", "replace-me", "replaceme", "todo", "fixme", "null", "none", "undefined", "posthog",
            "<secret key>", "<your secret key>", "<secret_key>", "your-secret-key-here", "secret-key-here");

    private static final String[] KEYBOARD_RUNS = {
        "qwertyuiopasdfghjklzxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz", "0123456789abcdef",
    };

    /** How serious a finding is. */
    public enum Severity {
        /** Refuse to start. */
        FATAL,
        /** Start, and log it. */
        WARNING
    }

    /**
     * One finding about one key.
     *
     * @param severity fatal or warning in the mode it was judged in
     * @param message names the setting, the key's length and the rule; never the value
     */
    public record Finding(Severity severity, String message) {
    }

    private SecretKeyPolicy() {
    }

    /**
     * Judges {@code SECRET_KEY} and each {@code SECRET_KEY_FALLBACKS} entry, with a key required
     * outside development.
     *
     * @param development {@code DEBUG} or {@code TEST} is on
     */
    public static List<Finding> check(@Nullable String key, List<String> fallbacks, boolean development) {
        return check(key, fallbacks, development, true);
    }

    /**
     * Judges {@code SECRET_KEY} and each {@code SECRET_KEY_FALLBACKS} entry.
     *
     * @param development {@code DEBUG} or {@code TEST} is on
     * @param required {@code GATEHOUSE_REQUIRE_SECRET_KEY}: whether a missing or empty key is fatal
     *     outside development (false for an application that has no secret); a key that is set is
     *     judged either way
     */
    public static List<Finding> check(@Nullable String key, List<String> fallbacks, boolean development, boolean required) {
        List<Finding> out = new ArrayList<>();
        if (key == null || key.isEmpty()) {
            if (required && !development) {
                out.add(new Finding(Severity.FATAL, "SECRET_KEY is not set: it is required outside DEBUG and TEST"
                        + " mode; generate one with: openssl rand -hex 32, or set GATEHOUSE_REQUIRE_SECRET_KEY=false"
                        + " if the application has no secret"));
            }
        } else {
            checkOne("SECRET_KEY", key, development, out);
        }
        for (int i = 0; i < fallbacks.size(); i++) {
            checkOne("SECRET_KEY_FALLBACKS entry " + (i + 1), fallbacks.get(i), development, out);
        }
        return out;
    }

    private static void checkOne(String name, String key, boolean development, List<Finding> out) {
        String described = name + " (" + key.length() + " characters)";
        String placeholder = placeholderRule(key);
        if (placeholder != null) {
            out.add(new Finding(development ? Severity.WARNING : Severity.FATAL,
                    described + " is " + placeholder + "; generate a real key with: openssl rand -hex 32"));
            return;
        }
        String weakness = weakness(key);
        if (weakness != null) {
            out.add(new Finding(development ? Severity.WARNING : Severity.FATAL,
                    described + " is weak: " + weakness + "; generate a real key with: openssl rand -hex 32"));
        }
    }

    /** The placeholder rule the key breaks, or null. */
    static @Nullable String placeholderRule(String key) {
        String k = key.strip();
        while (k.length() >= 2 && (k.charAt(0) == '"' || k.charAt(0) == '\'') && k.charAt(k.length() - 1) == k.charAt(0)) {
            k = k.substring(1, k.length() - 1).strip();
        }
        String lower = k.toLowerCase(Locale.ROOT);
        if (lower.equals(POSTHOG_PLACEHOLDER)) {
            return "PostHog's documented placeholder \"<randomly generated secret key>\"";
        }
        if (lower.startsWith("django-insecure-")) {
            return "a Django development key (prefix django-insecure-)";
        }
        if (PLACEHOLDERS.contains(lower) || PLACEHOLDERS.contains(lower.replaceAll("[\\s_-]", ""))) {
            return "a well-known placeholder";
        }
        if (!lower.isEmpty() && lower.chars().distinct().count() == 1) {
            return "one character repeated";
        }
        if (lower.length() >= 4 && isKeyboardRun(lower)) {
            return "a keyboard or alphabet run";
        }
        if (k.isEmpty()) {
            return "blank";
        }
        return null;
    }

    /**
     * The key is a keyboard or alphabet run: its repeating unit is a piece of a run ("qwerty" x 7),
     * or every character follows the previous one along a run, wrapping around (a-z then a-l).
     */
    private static boolean isKeyboardRun(String lower) {
        String unit = lower.substring(0, period(lower));
        for (String run : KEYBOARD_RUNS) {
            for (String r : new String[] {run, new StringBuilder(run).reverse().toString()}) {
                if (unit.length() >= 4 && r.contains(unit)) {
                    return true;
                }
                boolean follows = true;
                for (int i = 1; i < lower.length() && follows; i++) {
                    int at = r.indexOf(lower.charAt(i - 1));
                    follows = at >= 0 && r.charAt((at + 1) % r.length()) == lower.charAt(i);
                }
                if (follows) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why the key is weak, or null. */
    static @Nullable String weakness(String key) {
        if (key.length() < MIN_LENGTH) {
            return "shorter than " + MIN_LENGTH + " characters";
        }
        Set<Integer> distinct = new HashSet<>();
        key.codePoints().forEach(distinct::add);
        if (distinct.size() < MIN_DISTINCT) {
            return "fewer than " + MIN_DISTINCT + " distinct characters";
        }
        int period = period(key);
        if (period < key.length()) {
            return "it repeats a pattern of " + period + " characters";
        }
        double bits = estimatedEntropyBits(key);
        if (bits < MIN_ENTROPY_BITS) {
            return String.format(Locale.ROOT, "estimated entropy %.0f bits is below %.0f", bits, MIN_ENTROPY_BITS);
        }
        return null;
    }

    /** The shortest p such that the key is a prefix of its first p characters repeated (KMP failure function). */
    static int period(String key) {
        int n = key.length();
        int[] fail = new int[n];
        for (int i = 1, k = 0; i < n; i++) {
            while (k > 0 && key.charAt(i) != key.charAt(k)) {
                k = fail[k - 1];
            }
            if (key.charAt(i) == key.charAt(k)) {
                k++;
            }
            fail[i] = k;
        }
        int p = n - (n == 0 ? 0 : fail[n - 1]);
        // Only a pattern that repeats at least twice makes the key weak.
        return p * 2 <= n ? p : n;
    }

    /** Length times the Shannon entropy of the key's character distribution. */
    static double estimatedEntropyBits(String key) {
        int[] cps = key.codePoints().toArray();
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (int cp : cps) {
            counts.merge(cp, 1, Integer::sum);
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / cps.length;
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h * cps.length;
    }
}
