package io.gatehouse.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of the README, as written, against the published modules: each
 * block must be a whole compilation unit (imports and a public class), so that a reader can paste it.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final |abstract )?class (\\w+)");

    /** A Java block of the README and the line it starts on. */
    record Snippet(int line, String className, String source) {
    }

    static List<Snippet> snippets(String markdown) {
        List<Snippet> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            int line = 1 + (int) markdown.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            Matcher c = PUBLIC_CLASS.matcher(m.group(1));
            out.add(new Snippet(line, c.find() ? c.group(1) : null, m.group(1)));
        }
        return out;
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles(@TempDir Path dir) throws IOException {
        Path readme = Path.of("..", "README.md");
        List<Snippet> snippets = snippets(Files.readString(readme, StandardCharsets.UTF_8));
        assertThat(snippets).as("Java blocks in README.md").hasSizeGreaterThanOrEqualTo(3);
        List<Path> files = new ArrayList<>();
        for (Snippet s : snippets) {
            assertThat(s.className()).as("README.md line %d: a Java block must be a whole file with a public class", s.line())
                    .isNotNull();
            Path file = dir.resolve("src").resolve(s.className() + ".java");
            Files.createDirectories(file.getParent());
            assertThat(file).as("README.md line %d: class %s appears twice", s.line(), s.className()).doesNotExist();
            Files.writeString(file, s.source(), StandardCharsets.UTF_8);
            files.add(file);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(dir.resolve("classes"));
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", dir.resolve("classes").toString(), "-proc:none", "-Xlint:all", "-Xlint:-serial", "-Werror");
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String name = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).getFileName().toString();
                int start = snippets.stream().filter(s -> (s.className() + ".java").equals(name)).mapToInt(Snippet::line)
                        .findFirst().orElse(0);
                problems.add("README.md line " + (start + d.getLineNumber()) + " (" + name + "): " + d.getMessage(Locale.ROOT));
            }
            assertThat(problems).as("javac on the README's Java blocks").isEmpty();
            assertThat(ok).isTrue();
        }
    }

    @Test
    void theExtractorFindsBlocksAndTheirLines() {
        List<Snippet> s = snippets("text\n```java\npublic final class A {\n}\n```\n\n```xml\n<x/>\n```\n```java\nint x;\n```\n");
        assertThat(s).extracting(Snippet::line).containsExactly(2, 10);
        assertThat(s).extracting(Snippet::className).containsExactly("A", null);
    }
}
