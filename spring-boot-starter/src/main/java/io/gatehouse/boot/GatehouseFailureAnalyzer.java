package io.gatehouse.boot;

import io.gatehouse.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid Gatehouse configuration into Boot's short "APPLICATION FAILED TO START" report: every
 * problem on its own line, naming the property or variable and where it was set; never a secret's
 * value (the problems carry none), and no stack trace.
 */
public class GatehouseFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {
    /** Made by Spring Boot from {@code META-INF/spring.factories}. */
    public GatehouseFailureAnalyzer() {
    }


    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        StringBuilder description = new StringBuilder("Gatehouse's configuration is invalid (")
                .append(cause.problems().size()).append(cause.problems().size() == 1 ? " problem" : " problems").append("):\n");
        for (String problem : cause.problems()) {
            description.append("\n    - ").append(problem);
        }
        String action = "Correct the settings above: the gatehouse.* properties (application.properties, --gatehouse.*"
                + " arguments, or GATEHOUSE_* environment variables), or PostHog's variables (ALLOWED_IP_BLOCKS,"
                + " TRUSTED_PROXIES, SECRET_KEY, ...), which count where the gatehouse.* property is not set."
                + " For development, set gatehouse.debug=true; to generate a secret key: openssl rand -hex 32.";
        return new FailureAnalysis(description.toString(), action, cause);
    }
}
