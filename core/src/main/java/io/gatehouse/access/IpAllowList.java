package io.gatehouse.access;

import io.gatehouse.ip.CidrSet;
import io.gatehouse.proxy.ClientIp;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ALLOWED_IP_BLOCKS}: when it has blocks, only clients inside them reach non-exempt paths.
 * Decided before the application runs (PostHog runs the view first and only replaces its response).
 * An unresolved client is denied: fail closed. Exempt paths are matched on the first path segment,
 * exactly and case-sensitively; a path whose meaning an application could change by normalising it
 * (a {@code .} or {@code ..} segment, an encoded {@code . / \}, a backslash) is never exempt.
 */
public final class IpAllowList {
    /**
     * The default exempt first segments: {@code report}, the default CSP report path's (CSP reports
     * come from end users' browsers anywhere), and {@code _health}. {@code GatehouseConfig} derives the
     * report segment from {@code GATEHOUSE_CSP_PATH}.
     */
    public static final Set<String> DEFAULT_EXEMPT_PATHS = Set.of("report", "_health");

    /**
     * PostHog's own exempt list: its event ingestion, flags, static files, messaging preferences and
     * health endpoints. These are PostHog's routes; in another application {@code /s/admin} or
     * {@code /static/...} would let a denied client through, so they are not the default but the
     * preset {@code GATEHOUSE_EXEMPT_PATHS=posthog} (this list plus the report segment).
     */
    public static final Set<String> POSTHOG_EXEMPT_PATHS = Set.of(
            "e", "i", "s", "batch", "capture", "decide", "flags", "engage", "track", "static", "_health",
            "messaging-preferences");

    /** The body of the 403 answer (PostHog's text); sent as {@code text/plain; charset=utf-8}. */
    public static final String DENIED_BODY = "Your IP is not allowed. Check your ALLOWED_IP_BLOCKS settings."
            + " If you are behind a proxy, you need to set TRUSTED_PROXIES."
            + " See https://posthog.com/docs/deployment/running-behind-proxy\n";

    private static final IpAllowList DISABLED = new IpAllowList(CidrSet.empty(), DEFAULT_EXEMPT_PATHS);

    private final CidrSet blocks;
    private final Set<String> exemptPaths;

    private IpAllowList(CidrSet blocks, Set<String> exemptPaths) {
        this.blocks = blocks;
        this.exemptPaths = exemptPaths;
    }

    /** No restriction: every request is allowed, at no cost. */
    public static IpAllowList disabled() {
        return DISABLED;
    }

    /** An allow-list of {@code blocks} with the default exempt paths; empty blocks mean disabled. */
    public static IpAllowList of(CidrSet blocks) {
        return of(blocks, DEFAULT_EXEMPT_PATHS);
    }

    /**
     * An allow-list of {@code blocks} whose {@code exemptFirstSegments} (e.g. {@code "_health"},
     * without slashes) bypass it; empty blocks mean disabled.
     */
    public static IpAllowList of(CidrSet blocks, Set<String> exemptFirstSegments) {
        Objects.requireNonNull(blocks, "blocks");
        for (String seg : exemptFirstSegments) {
            if (seg.isEmpty() || seg.indexOf('/') >= 0) {
                throw new IllegalArgumentException("an exempt path is one non-empty path segment without '/': "
                        + io.gatehouse.internal.Text.quote(seg));
            }
        }
        return new IpAllowList(blocks, Set.copyOf(new LinkedHashSet<>(exemptFirstSegments)));
    }

    /** True when blocks are configured. */
    public boolean isEnabled() {
        return !blocks.isEmpty();
    }

    /** The allowed blocks. */
    public CidrSet blocks() {
        return blocks;
    }

    /** The exempt first path segments. */
    public Set<String> exemptPaths() {
        return exemptPaths;
    }

    /** Whether {@code client} may reach {@code path} (the request path, without the query). */
    public boolean allows(ClientIp client, CharSequence path) {
        if (blocks.isEmpty()) {
            return true;
        }
        if (client instanceof ClientIp.Resolved r && blocks.contains(r.address())) {
            return true;
        }
        return isExempt(path);
    }

    /** Whether the first segment of {@code path} is exempt (and the path is safe to exempt). */
    public boolean isExempt(CharSequence path) {
        return PathSegments.firstSegmentIn(path, exemptPaths);
    }

    @Override
    public String toString() {
        return isEnabled() ? "IpAllowList{blocks=" + blocks.blocks() + ", exempt=" + exemptPaths + "}"
                : "IpAllowList{disabled}";
    }
}
