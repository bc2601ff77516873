package io.gatehouse.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link Main} in a child JVM with everything on the module path and nothing on the class path,
 * as a user of {@code requires io.gatehouse.netty} would: the module graph must resolve from the
 * descriptors alone (jackson-core and java.net.http through the core's {@code requires transitive}).
 */
class ModulePathTest {

    @Test
    void aModulePathConsumerRunsTheNettyAdapter() throws IOException, InterruptedException {
        String modulePath = Files.readString(Path.of("target", "runtime-classpath.txt"), StandardCharsets.UTF_8).strip()
                + java.io.File.pathSeparator + Path.of("target", "classes").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "--module", "io.gatehouse.consumer/io.gatehouse.consumer.Main"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the consumer finishes").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as(out).contains("module io.gatehouse.core named=true exportsInternal=false")
                .contains("report 204").contains("page 200 hello from the module path")
                .contains("\"event\":\"$csp_violation\"").doesNotContain("NoClassDefFoundError");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
