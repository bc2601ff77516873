package io.gatehouse.internal.csp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemberNamesTest {

    @Test
    void idsFollowTheNamesWhateverTheInstance() {
        for (int round = 0; round < 3; round++) {
            for (int id = 0; id < MemberNames.NAMES.size(); id++) {
                String canonical = MemberNames.NAMES.get(id);
                assertThat(MemberNames.id(canonical)).isEqualTo(id);
                assertThat(MemberNames.id(new String(canonical))).as("an equal copy").isEqualTo(id);
            }
            assertThat(MemberNames.id("documenturl")).isEqualTo(MemberNames.UNKNOWN);
            assertThat(MemberNames.id(new String("x-unknown"))).isEqualTo(MemberNames.UNKNOWN);
        }
        assertThat(MemberNames.NAMES.get(MemberNames.BODY)).isEqualTo("body");
        assertThat(MemberNames.NAMES.get(MemberNames.SAMPLE)).isEqualTo("sample");
        assertThat(MemberNames.NAMES.get(MemberNames.USER_AGENT)).isEqualTo("user_agent");
    }
}
