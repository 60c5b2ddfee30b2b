package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type of the library modules says in its Javadoc whether an instance may be
 * shared between threads (DESIGN.md, "Sharing and threads"): one sentence that names threads (or
 * concurrency) and says what holds, safe, shared, immutable or one at a time. The sources are read
 * from the modules' {@code src/main/java} beside this module, so the check needs no build of them.
 */
class ThreadSafetyDocsTest {
  /** The library modules, whose public types users see. */
  private static final List<String> MODULES =
      List.of("dnn-api", "dnn-cpu", "dnn-cuda", "dnn-onnx", "dnn-spark", "dnn-cli");

  private static final Pattern DECLARATION =
      Pattern.compile(
          "^public\\s+(?:(?:abstract|final|sealed|non-sealed|strictfp|static)\\s+)*"
              + "(?:class|interface|record|enum|@interface)\\s+(\\w+)",
          Pattern.MULTILINE);

  private static final Pattern THREADS = Pattern.compile("(?i)thread|concurren");

  private static final Pattern VERDICT =
      Pattern.compile(
          "(?i)safe|\\bshar(?:e|ed|ing)\\b|immutable|stateless|at a time|at once|any thread"
              + "|one thread");

  @Test
  void everyPublicTypeSaysWhetherItMayBeSharedBetweenThreads() throws IOException {
    List<String> missing = new ArrayList<>();
    int types = 0;
    for (String module : MODULES) {
      Path sources = Path.of("..", module, "src", "main", "java");
      assertTrue(Files.isDirectory(sources), sources + " is not a directory");
      List<Path> files;
      try (Stream<Path> walk = Files.walk(sources)) {
        files = walk.filter(ThreadSafetyDocsTest::isTypeSource).sorted().toList();
      }
      for (Path file : files) {
        String source = Files.readString(file);
        Matcher declaration = DECLARATION.matcher(source);
        if (!declaration.find()) {
          continue; // a package-private type
        }
        types++;
        Optional<String> doc = typeJavadoc(source, declaration.start());
        if (doc.isEmpty() || !saysWhetherShared(doc.get())) {
          missing.add(module + ": " + sources.relativize(file));
        }
      }
    }
    // The library has well over a hundred public types: far fewer means the paths went wrong.
    assertTrue(types > 100, "found only " + types + " public types under " + MODULES);
    assertEquals(
        List.of(),
        missing,
        "public types whose Javadoc does not say whether an instance may be shared between threads"
            + " (a sentence such as \"Immutable and safe to share between threads.\" or \"Not"
            + " thread-safe: use one per thread.\")");
  }

  @Test
  void aSentenceMustNameThreadsAndSayWhatHolds() {
    assertTrue(
        saysWhetherShared(
            "/** A shape.\n *\n * <p>Immutable and safe to share between threads.\n */"));
    assertTrue(saysWhetherShared("/** Not thread-safe: one training thread uses it. */"));
    assertTrue(saysWhetherShared("/** Safe for concurrent use: its pool is synchronized. */"));
    // Threads mentioned, but nothing said about sharing an instance.
    assertFalse(saysWhetherShared("/** A CPU thread and a GPU thread compute the same number. */"));
    // A verdict without threads, and the two words in different sentences.
    assertFalse(saysWhetherShared("/** Immutable. */"));
    assertFalse(saysWhetherShared("/** Immutable. Its workers are threads. */"));
    assertFalse(saysWhetherShared("/** A shape. */"));
  }

  @Test
  void theJavadocIsTheCommentRightBeforeTheDeclaration() {
    String annotated = "/** Immutable and thread-safe. */\n@Deprecated\npublic final class A {}\n";
    assertEquals(
        Optional.of("/** Immutable and thread-safe. */"),
        typeJavadoc(annotated, annotated.indexOf("public")));
    String separated =
        "/** Immutable and thread-safe. */\nimport java.util.List;\n\npublic final class A {}\n";
    assertEquals(Optional.empty(), typeJavadoc(separated, separated.indexOf("public")));
  }

  private static boolean isTypeSource(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".java")
        && !name.equals("module-info.java")
        && !name.equals("package-info.java");
  }

  /**
   * The Javadoc comment that ends right before the declaration at {@code declaration}, annotations
   * and blank space between them allowed.
   */
  static Optional<String> typeJavadoc(String source, int declaration) {
    String before = source.substring(0, declaration);
    int start = before.lastIndexOf("/**");
    if (start < 0) {
      return Optional.empty();
    }
    int end = before.indexOf("*/", start);
    if (end < 0) {
      return Optional.empty();
    }
    String between = before.substring(end + 2).strip();
    if (!between.isEmpty() && !between.startsWith("@")) {
      return Optional.empty();
    }
    return Optional.of(before.substring(start, end + 2));
  }

  /** Whether one sentence of {@code javadoc} names threads and says what holds for them. */
  static boolean saysWhetherShared(String javadoc) {
    StringBuilder text = new StringBuilder();
    for (String line : javadoc.replace("/**", "").replace("*/", "").split("\n")) {
      String trimmed = line.strip();
      text.append(trimmed.startsWith("*") ? trimmed.substring(1) : trimmed).append(' ');
    }
    for (String sentence : text.toString().split("(?<=[.!?])\\s+")) {
      if (THREADS.matcher(sentence).find() && VERDICT.matcher(sentence).find()) {
        return true;
      }
    }
    return false;
  }
}
