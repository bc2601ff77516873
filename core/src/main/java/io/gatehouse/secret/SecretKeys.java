package io.gatehouse.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates and compares secret keys. */
public final class SecretKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() {
    }

    /**
     * A new key: 32 random bytes from {@link SecureRandom} as 64 lowercase hex characters, the same
     * shape as {@code openssl rand -hex 32}.
     */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    public static boolean constantTimeEquals(CharSequence a, CharSequence b) {
        if (a == null || b == null) {
            return a == b;
        }
        return MessageDigest.isEqual(a.toString().getBytes(StandardCharsets.UTF_8),
                b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Prints one new key on standard output: {@code java -cp gatehouse-core.jar io.gatehouse.secret.SecretKeys}. */
    public static void main(String[] args) {
        System.out.println(generate());
    }
}
