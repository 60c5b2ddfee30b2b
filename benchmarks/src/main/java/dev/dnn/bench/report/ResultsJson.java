package dev.dnn.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads the harness's result records as indented JSON. */
public final class ResultsJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {}

  /** Writes {@code value} (a result record) to {@code file}, creating parent directories. */
  public static void write(Object value, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MAPPER.writeValue(file.toFile(), value);
  }

  /** {@code value} as a JSON string. */
  public static String toJson(Object value) throws IOException {
    return MAPPER.writeValueAsString(value);
  }

  /** Reads a record of {@code type} from {@code file}. */
  public static <T> T read(Path file, Class<T> type) throws IOException {
    return MAPPER.readValue(file.toFile(), type);
  }
}
