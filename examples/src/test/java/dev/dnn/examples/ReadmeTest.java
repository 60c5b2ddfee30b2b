package dev.dnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's first Java block is the quick start, whole, so that it compiles as pasted. */
class ReadmeTest {
  @Test
  void theFirstJavaBlockOfTheReadmeIsQuickStart() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```java\n");
    int end = readme.indexOf("```", start + 8);
    String block = readme.substring(start + 8, end);
    String source =
        Files.readString(
            Path.of("src", "main", "java", "dev", "dnn", "examples", "QuickStart.java"));
    assertEquals(source, block);
  }
}
