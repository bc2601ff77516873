package io.gatehouse.internal.csp;

import java.util.List;

/**
 * The report members Gatehouse reads, as small ints, looked up by identity: Jackson hands out the
 * same canonical {@code String} for a field name every time it parses it, so after the first sight
 * a member is identified by one reference compare instead of a hash switch and a string compare.
 * A slot holds one immutable (name, id) pair; a collision or an unknown name only costs the slow
 * path. Thread-safe.
 */
final class MemberNames {
    static final int UNKNOWN = -1;
    static final int DOCUMENT_URI = 0;
    static final int REFERRER = 1;
    static final int VIOLATED_DIRECTIVE = 2;
    static final int EFFECTIVE_DIRECTIVE = 3;
    static final int ORIGINAL_POLICY = 4;
    static final int DISPOSITION = 5;
    static final int BLOCKED_URI = 6;
    static final int LINE_NUMBER = 7;
    static final int COLUMN_NUMBER = 8;
    static final int SOURCE_FILE = 9;
    static final int STATUS_CODE = 10;
    static final int SCRIPT_SAMPLE = 11;
    static final int DOCUMENT_URL = 12;
    static final int EFFECTIVE_DIRECTIVE_CAMEL = 13;
    static final int ORIGINAL_POLICY_CAMEL = 14;
    static final int BLOCKED_URL = 15;
    static final int LINE_NUMBER_CAMEL = 16;
    static final int COLUMN_NUMBER_CAMEL = 17;
    static final int SOURCE_FILE_CAMEL = 18;
    static final int STATUS_CODE_CAMEL = 19;
    static final int SAMPLE = 20;
    static final int USER_AGENT_DASH = 21;
    static final int TYPE = 22;
    static final int URL = 23;
    static final int USER_AGENT = 24;
    static final int BODY = 25;

    /** The names, indexed by id. */
    static final List<String> NAMES = List.of("document-uri", "referrer", "violated-directive", "effective-directive",
            "original-policy", "disposition", "blocked-uri", "line-number", "column-number", "source-file",
            "status-code", "script-sample", "documentURL", "effectiveDirective", "originalPolicy", "blockedURL",
            "lineNumber", "columnNumber", "sourceFile", "statusCode", "sample", "user-agent", "type", "url",
            "user_agent", "body");

    private record Slot(String name, int id) {
    }

    private static final int BITS = 8;
    private static final Slot[] SLOTS = new Slot[1 << BITS];

    private MemberNames() {
    }

    /** The id of member name {@code name}, or {@link #UNKNOWN}. */
    static int id(String name) {
        int i = slot(name);
        Slot s = SLOTS[i];
        if (s != null && s.name() == name) {
            return s.id();
        }
        int id = NAMES.indexOf(name);
        SLOTS[i] = new Slot(name, id);
        return id;
    }

    static int slot(String name) {
        // A multiplier under which the 26 known names take 26 different slots (MemberNamesTest checks).
        return (name.hashCode() * 0x27D4EB2F) >>> (32 - BITS);
    }
}
