package dev.dnn.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the PyTorch float64 golden files from the test resources. */
final class Golden {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Golden() {}

  /** The parsed file {@code golden/<name>}. */
  static JsonNode load(String name) {
    String path = "/golden/" + name;
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** A numeric array (or a matrix, flattened row by row). */
  static double[] doubles(JsonNode node) {
    int n = 0;
    for (JsonNode row : node) {
      n += row.isArray() ? row.size() : 1;
    }
    double[] values = new double[n];
    int k = 0;
    for (JsonNode row : node) {
      if (row.isArray()) {
        for (JsonNode v : row) {
          values[k++] = v.asDouble();
        }
      } else {
        values[k++] = row.asDouble();
      }
    }
    return values;
  }

  /** The same, rounded to float32 as a user would pass them. */
  static float[] floats(JsonNode node) {
    double[] d = doubles(node);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
