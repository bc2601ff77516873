package io.gatehouse.config;

import io.gatehouse.internal.Text;
import java.util.List;

/**
 * The configuration is invalid. The message lists every problem, one per line; each names the
 * setting, the entry and its position. Never carries a secret's value.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // List.copyOf gives a serializable list; javac 21+ sees only the interface
    private final List<String> problems;

    /** An exception listing {@code problems} (at least one), e.g. an application's own settings with Gatehouse's. */
    public ConfigException(List<String> problems) {
        super("invalid Gatehouse configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * A setting's value as a problem should show it: in double quotes, cut to 80 characters, with
     * control characters and quotes escaped, so that a value cannot forge lines in a log. For an
     * application's own settings beside Gatehouse's; never pass a secret.
     */
    public static String quote(CharSequence value) {
        return Text.quote(value);
    }

    /** Each problem, in the order the settings were read. */
    public List<String> problems() {
        return problems;
    }
}
