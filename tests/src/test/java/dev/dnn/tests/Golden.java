package dev.dnn.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the PyTorch float64 reference files under {@code golden/}. */
final class Golden {
  private Golden() {}

  static JsonNode load(String file) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource golden/" + file);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON array of numbers, or of arrays of numbers (flattened row-major), as floats. */
  static float[] floats(JsonNode node) {
    int n = count(node);
    float[] values = new float[n];
    fill(node, values, 0);
    return values;
  }

  /** The same as doubles. */
  static double[] doubles(JsonNode node) {
    double[] values = new double[count(node)];
    fillDoubles(node, values, 0);
    return values;
  }

  private static int count(JsonNode node) {
    if (!node.isArray()) {
      return 1;
    }
    int n = 0;
    for (JsonNode child : node) {
      n += count(child);
    }
    return n;
  }

  private static int fill(JsonNode node, float[] into, int at) {
    if (!node.isArray()) {
      into[at] = (float) node.asDouble();
      return at + 1;
    }
    for (JsonNode child : node) {
      at = fill(child, into, at);
    }
    return at;
  }

  private static int fillDoubles(JsonNode node, double[] into, int at) {
    if (!node.isArray()) {
      into[at] = node.asDouble();
      return at + 1;
    }
    for (JsonNode child : node) {
      at = fillDoubles(child, into, at);
    }
    return at;
  }
}
