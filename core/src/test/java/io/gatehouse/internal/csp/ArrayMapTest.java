package io.gatehouse.internal.csp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArrayMapTest {

    /** Builds both maps from the same members (keys k0..k{n-1}, each repeated once) and compares. */
    @ParameterizedTest(name = "{0} distinct keys")
    @ValueSource(ints = {0, 1, 7, 8, 9, 31, 32, 33, 100})
    void behavesLikeALinkedHashMap(int n) {
        ArrayMap.Builder b = new ArrayMap.Builder();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                // new String: equal keys that are not the same instance
                String key = new String("k" + i);
                Object value = round == 0 ? (Object) i : (i % 3 == 0 ? null : "v" + i);
                b.put(key, value);
                expected.put(key, value);
            }
        }
        ArrayMap m = b.build();
        assertThat(m).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(m.keySet()).containsExactlyElementsOf(expected.keySet());
        for (int i = 0; i < n; i++) {
            assertThat(m.get("k" + i)).isEqualTo(expected.get("k" + i));
            assertThat(m.containsKey("k" + i)).isTrue();
        }
        assertThat(m.get("absent")).isNull();
        assertThat(m.containsKey(42)).isFalse();
    }

    @Test
    void aBuilderIsEmptyAfterBuild() {
        ArrayMap.Builder b = new ArrayMap.Builder();
        b.put("a", 1);
        b.put("b", 2);
        ArrayMap first = b.build();
        b.put("a", 3);
        b.put("b", 4);
        ArrayMap second = b.build();
        assertThat(first).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
        assertThat(second).containsExactly(Map.entry("a", 3), Map.entry("b", 4));
        b.put("b", 5);
        assertThat(b.build()).containsExactly(Map.entry("b", 5));
        assertThat(b.build()).isSameAs(ArrayMap.EMPTY);
    }

    @Test
    void aBuilderForgetsTheMembersOfAReadThatFailedPartWay() throws IOException {
        JsonFactory f = CspJson.factory(1 << 16);
        try (JsonParser p = f.createParser("{\"outer\": {\"x\": 1, \"y\": [2, ".getBytes())) {
            p.nextToken();
            try {
                CspJson.read(p);
            } catch (IOException expected) {
                // a truncated body
            }
        }
        try (JsonParser p = f.createParser("{\"outer\": {\"z\": 3}}".getBytes())) {
            p.nextToken();
            assertThat(CspJson.read(p)).isEqualTo(Map.of("outer", Map.of("z", 3L)));
        }
    }

    @Test
    void deeperObjectsThanThePoolStillRead() throws IOException {
        int depth = CspJson.MAX_DEPTH + 5;
        String json = "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            Object v = CspJson.read(p);
            for (int i = 0; i < depth; i++) {
                assertThat(v).isInstanceOf(Map.class);
                v = ((Map<?, ?>) v).get("a");
            }
            assertThat(v).isEqualTo(1L);
        }
    }

    /**
     * One builder reused for objects that mostly repeat the previous one's keys (as reports do) and
     * sometimes differ: a key missing, added, moved, repeated, or an equal key that is another
     * instance. Every map must equal the LinkedHashMap of the same members.
     */
    @Test
    void aReusedBuilderFollowsRepeatedShapesAndSurprisesAlike() {
        String[] names = {"age", "body", "type", "url", "user_agent", "blockedURL", "sample"};
        Random random = new Random(5);
        ArrayMap.Builder b = new ArrayMap.Builder();
        String[] shape = {"age", "body", "type"};
        int predictedHits = 0;
        for (int round = 0; round < 20_000; round++) {
            String[] keys = shape;
            int change = random.nextInt(10);
            if (change == 0) {
                keys = new String[random.nextInt(6)];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = names[random.nextInt(names.length)];
                }
                shape = keys;
            } else if (change == 1 && keys.length > 0) {
                keys = keys.clone();
                keys[random.nextInt(keys.length)] = new String(names[random.nextInt(names.length)]);
            } else if (change == 2) {
                keys = java.util.Arrays.copyOf(keys, keys.length + 1);
                keys[keys.length - 1] = names[random.nextInt(names.length)];
            } else if (change == 3 && keys.length > 0) {
                keys = java.util.Arrays.copyOf(keys, keys.length - 1);
            }
            Map<String, Object> expected = new LinkedHashMap<>();
            for (String k : keys) {
                Object v = random.nextInt(4) == 0 ? null : round + k;
                b.put(k, v);
                expected.put(k, v);
            }
            ArrayMap m = b.build();
            if (keys == shape && keys.length > 0) {
                predictedHits++;
            }
            assertThat(m).as("round %d keys %s", round, java.util.Arrays.toString(keys)).isEqualTo(expected);
            assertThat(m.keySet()).containsExactlyElementsOf(expected.keySet());
            for (int id = 0; id < MemberNames.NAMES.size(); id++) {
                String name = MemberNames.NAMES.get(id);
                assertThat(m.memberValue(id)).isEqualTo(expected.get(name));
                assertThat(m.memberIndex(id)).isEqualTo(expected.containsKey(name)
                        ? List.copyOf(expected.keySet()).indexOf(name) : -1);
            }
        }
        assertThat(predictedHits).isGreaterThan(10_000);
    }
}
