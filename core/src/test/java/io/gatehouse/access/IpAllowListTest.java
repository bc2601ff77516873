package io.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.api.Test;

class IpAllowListTest {
    private static final CidrSet POSTHOG_TABLE = CidrSet.of(Cidr.parse("192.168.0.0/31"), Cidr.parse("127.0.0.0/25"),
            Cidr.parse("128.0.0.1"));
    private static final IpAllowList DEFAULT_EXEMPT = IpAllowList.of(POSTHOG_TABLE);
    private static final IpAllowList POSTHOG_EXEMPT = IpAllowList.of(POSTHOG_TABLE,
            union(IpAllowList.POSTHOG_EXEMPT_PATHS, Set.of("report")));

    @ParameterizedTest(name = "{0} {1} ({2} exempt paths) -> {3}")
    @CsvFileSource(resources = "decisions.csv", delimiter = '|')
    void decides(String client, String path, String exempt, boolean allowed) {
        ClientIp c = client.startsWith("unresolved") ? new ClientIp.Unresolved("test") : ClientIp.of(IpAddress.parse(client));
        IpAllowList list = switch (exempt) {
            case "default" -> DEFAULT_EXEMPT;
            case "posthog" -> POSTHOG_EXEMPT;
            default -> throw new IllegalArgumentException(exempt);
        };
        assertThat(list.allows(c, path)).isEqualTo(allowed);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    @Test
    void disabledAllowsEverything() {
        assertThat(IpAllowList.disabled().isEnabled()).isFalse();
        assertThat(IpAllowList.disabled().allows(new ClientIp.Unresolved("x"), "/admin")).isTrue();
        assertThat(IpAllowList.of(CidrSet.empty()).allows(ClientIp.of(IpAddress.parse("10.0.0.1")), "/")).isTrue();
    }

    @Test
    void customExemptPathsReplaceTheDefaults() {
        IpAllowList list = IpAllowList.of(CidrSet.of(Cidr.parse("10.0.0.0/8")), Set.of("public"));
        ClientIp outsider = ClientIp.of(IpAddress.parse("1.1.1.1"));
        assertThat(list.allows(outsider, "/public/x")).isTrue();
        assertThat(list.allows(outsider, "/_health")).isFalse();
        assertThatThrownBy(() -> IpAllowList.of(CidrSet.empty(), Set.of("a/b"))).hasMessageContaining("\"a/b\"");
    }

    @Test
    void deniedBodyNamesTheSettings() {
        assertThat(IpAllowList.DENIED_BODY).contains("ALLOWED_IP_BLOCKS").contains("TRUSTED_PROXIES");
        assertThat(IpAllowList.DEFAULT_EXEMPT_PATHS).containsExactlyInAnyOrder("report", "_health");
        assertThat(IpAllowList.POSTHOG_EXEMPT_PATHS).containsExactlyInAnyOrder("e", "i", "s", "batch", "capture",
                "decide", "flags", "engage", "track", "static", "_health", "messaging-preferences");
        assertThat(IpAllowList.disabled().exemptPaths()).isEqualTo(IpAllowList.DEFAULT_EXEMPT_PATHS);
    }
}
