package dev.dnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnn.cli.run.ExperimentResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files are replaced whole or not at all. */
class OutputFilesTest {
  @Test
  void aJsonFileThatCannotBeWrittenKeepsItsOldContent(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("results.json"), "old");
    // Jackson refuses to serialize a bean without properties, after it has opened the output.
    assertThrows(IOException.class, () -> ResultsJson.write(new Object(), file));
    assertEquals("old", Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void experimentFilesAreAllWrittenOrNone(@TempDir Path dir) throws Exception {
    Path md = Files.writeString(dir.resolve(ExperimentFiles.MARKDOWN), "old table");
    ExperimentResults empty = new ExperimentResults("t", "small", "data", "machine", List.of());
    assertThrows(IllegalArgumentException.class, () -> ExperimentFiles.write(empty, dir));
    assertEquals("old table", Files.readString(md));
    assertEquals(false, Files.exists(dir.resolve(ExperimentFiles.JSON)));
  }
}
