package dev.dnn.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/** Writes and reads the harness's result records as indented JSON. */
public final class ResultsJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {}

  /**
   * Writes {@code value} (a result record) to {@code file}, creating parent directories; an
   * existing file is replaced only once the whole document is ready.
   */
  public static void write(Object value, Path file) throws IOException {
    OutputFiles.write(file, MAPPER.writeValueAsBytes(value));
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
