package dev.dnn.cli.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dnn.internal.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes and reads the harness's result records as indented JSON.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class ResultsJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(Json.module())
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Every field of a record is written; one that is absent (a file from another version,
          // or edited by hand) must not be read as 0, which would show as a 0.00% accuracy or a
          // 0 s wall time.
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** How Jackson words an absent record field under FAIL_ON_MISSING_CREATOR_PROPERTIES. */
  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("^Missing (?:required )?creator property '([^']*)'");

  private ResultsJson() {}

  /**
   * Writes {@code value} (a result record) to {@code file}, creating parent directories; an
   * existing file is replaced only once the whole document is ready.
   */
  public static void write(Object value, Path file) throws IOException {
    OutputFiles.write(file, MAPPER.writeValueAsBytes(value));
  }

  /**
   * Writes {@code value} (a result record) to {@code file} as {@link #write(Object, Path)} does,
   * with the entries of {@code extra} as further top-level fields after the record's own.
   *
   * @throws IllegalArgumentException if an entry of {@code extra} would replace a field of the
   *     record
   */
  public static void write(Object value, Map<String, ?> extra, Path file) throws IOException {
    ObjectNode tree = MAPPER.valueToTree(value);
    for (Map.Entry<String, ?> e : extra.entrySet()) {
      if (tree.has(e.getKey())) {
        throw new IllegalArgumentException("the record already has a field '" + e.getKey() + "'");
      }
      tree.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
    }
    OutputFiles.write(file, MAPPER.writeValueAsBytes(tree));
  }

  /** {@code value} as a JSON string. */
  public static String toJson(Object value) throws IOException {
    return MAPPER.writeValueAsString(value);
  }

  /** Reads a record of {@code type} from {@code file}. */
  public static <T> T read(Path file, Class<T> type) throws IOException {
    return MAPPER.readValue(file.toFile(), type);
  }

  /**
   * A one-line account of a JSON error: what is wrong, the line and column, and the field (such as
   * {@code runs[0].wallSeconds}), without Jackson's class names and multi-line source excerpt.
   */
  public static String describe(JsonProcessingException e) {
    StringBuilder s = new StringBuilder(what(e));
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      s.append(" at line ").append(location.getLineNr());
      s.append(", column ").append(location.getColumnNr());
    }
    String path = path(e);
    if (!path.isEmpty()) {
      s.append(" (").append(path).append(')');
    }
    return s.toString();
  }

  private static String what(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + unknown.getPropertyName() + "' (written by another version?)";
    }
    // The records name a null required field in their NullPointerException.
    if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException) {
      return "missing field '" + e.getCause().getMessage() + "'";
    }
    String message = e.getOriginalMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    Matcher missing = MISSING_PROPERTY.matcher(message);
    return missing.find()
        ? "missing field '" + missing.group(1) + "'"
        : message.lines().findFirst().orElse("");
  }

  /** The field where the error is, as {@code runs[0].epochs[5].devLoss}. */
  private static String path(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : mapping.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
