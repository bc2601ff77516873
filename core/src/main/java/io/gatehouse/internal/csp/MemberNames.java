package io.gatehouse.internal.csp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The report members Gatehouse reads, as small ints. */
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

    private static final Map<String, Integer> IDS;

    static {
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < NAMES.size(); id++) {
            ids.put(NAMES.get(id), id);
        }
        IDS = Map.copyOf(ids);
    }

    private MemberNames() {
    }

    /** The id of member name {@code name}, or {@link #UNKNOWN}. */
    static int id(String name) {
        return IDS.getOrDefault(name, UNKNOWN);
    }
}
