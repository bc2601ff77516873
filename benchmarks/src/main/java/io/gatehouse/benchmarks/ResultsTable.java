package io.gatehouse.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH JSON result files into the README's Markdown table: per benchmark and parameters, the
 * Gatehouse method's time and allocation, each peer's time, and the ratio peer / Gatehouse (peers
 * are always from the same run as the Gatehouse method they are compared with). With several
 * files, a later file's results for a benchmark class replace an earlier file's.
 * {@code java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.ResultsTable run1.json [run2.json ...]}
 */
public final class ResultsTable {
    private ResultsTable() {
    }

    /** One measured method. */
    record Row(String method, double ns, double error, double bytes) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        String jdk = "";
        String settings = "";
        List<JsonNode> all = new ArrayList<>();
        for (String file : args) {
            JsonNode root = new ObjectMapper().readTree(new File(file));
            java.util.Set<String> classes = new java.util.HashSet<>();
            root.forEach(b -> classes.add(className(b.get("benchmark").asText())));
            all.removeIf(b -> classes.contains(className(b.get("benchmark").asText())));
            root.forEach(all::add);
        }
        for (JsonNode b : all) {
            String full = b.get("benchmark").asText();
            String cls = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1, full.lastIndexOf('.'));
            String method = full.substring(full.lastIndexOf('.') + 1);
            StringBuilder params = new StringBuilder();
            if (b.has("params")) {
                b.get("params").fields().forEachRemaining(e -> params.append(params.length() == 0 ? "" : ", ")
                        .append(e.getKey()).append('=').append(e.getValue().asText()));
            }
            JsonNode pm = b.get("primaryMetric");
            JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
            groups.computeIfAbsent(cls + " | " + params, k -> new ArrayList<>())
                    .add(new Row(method, pm.get("score").asDouble(), pm.get("scoreError").asDouble(),
                            alloc.isMissingNode() ? Double.NaN : alloc.asDouble()));
            jdk = b.get("jdkVersion").asText() + " (" + b.get("vmName").asText() + ")";
            settings = b.get("forks").asInt() + " forks, " + b.get("warmupIterations").asInt() + "x"
                    + b.get("warmupTime").asText() + " warm-up, " + b.get("measurementIterations").asInt() + "x"
                    + b.get("measurementTime").asText() + " measurement, " + b.get("mode").asText();
        }
        System.out.println("JDK " + jdk + "; " + Runtime.getRuntime().availableProcessors() + " cores; " + settings + "; -prof gc");
        System.out.println();
        System.out.println("| benchmark | params | Gatehouse ns/op | Gatehouse B/op | peer | peer ns/op | peer B/op | peer / Gatehouse |");
        System.out.println("|---|---|---:|---:|---|---:|---:|---:|");
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            String[] key = g.getKey().split(" \\| ", -1);
            Row subject = g.getValue().stream().filter(r -> r.method().equals("gatehouse") || r.method().startsWith("gatehouseInto"))
                    .findFirst().orElse(null);
            if (subject == null) {
                // No peer in this class (measured for completeness): one line per method, no ratio.
                for (Row r : g.getValue()) {
                    System.out.printf(Locale.ROOT, "| %s.%s | %s | %s | %s | (no peer) | | | |%n", key[0], r.method(), key[1],
                            time(r), bytes(r));
                }
                continue;
            }
            boolean first = true;
            for (Row peer : g.getValue()) {
                if (peer == subject) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        first ? key[0] : "", first ? key[1] : "", first ? time(subject) : "", first ? bytes(subject) : "",
                        peer.method(), time(peer), bytes(peer), ratio(peer.ns() / subject.ns()));
                first = false;
            }
            if (first) {
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | | | | |%n", key[0], key[1], time(subject), bytes(subject));
            }
        }
    }

    private static String className(String benchmark) {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    private static String time(Row r) {
        return r.ns() >= 1000 ? String.format(Locale.ROOT, "%,.0f ± %,.0f", r.ns(), r.error())
                : String.format(Locale.ROOT, "%.1f ± %.1f", r.ns(), r.error());
    }

    private static String bytes(Row r) {
        return Double.isNaN(r.bytes()) ? "n/a" : String.format(Locale.ROOT, "%.0f", r.bytes() < 0.5 ? 0.0 : r.bytes());
    }

    private static String ratio(double x) {
        return x >= 100 ? String.format(Locale.ROOT, "%,.0f×", x) : String.format(Locale.ROOT, "%.2f×", x);
    }
}
