package dev.dnn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dnn.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * float32 tensors, so that files are exchanged with PyTorch ({@code safetensors.torch}). Tensors
 * stored as F64 or I64 (PyTorch's {@code num_batches_tracked}) are read and converted to float32;
 * tensors named in {@code int64} are written as I64.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype":"F32","shape":[...],"data_offsets":[begin,
 * end]}} (offsets relative to the data section) plus an optional {@code "__metadata__"} map of
 * strings; then the data section, little-endian, every byte belonging to exactly one tensor.
 *
 * <p>The reader checks the whole header against the file size before it allocates anything for the
 * data, so a corrupt or hostile header cannot make it allocate more than the file holds.
 *
 * <p>Has no mutable state: its methods may be called from any thread, and two writes to one file at
 * once fail with {@link ConcurrentSaveException}.
 */
public final class SafeTensors {
  /** The largest header accepted (the reference implementation uses the same bound). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final String METADATA_KEY = "__metadata__";
  private static final int CHUNK_BYTES = 1 << 16;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SafeTensors() {}

  /**
   * Writes {@code tensors} (in map order) and {@code metadata} to {@code path}, atomically: an
   * existing file is replaced only once the new one is complete on disk.
   *
   * @throws IllegalArgumentException if a name is empty or {@code __metadata__}
   */
  public static void write(Path path, Map<String, HostArray> tensors, Map<String, String> metadata)
      throws IOException {
    write(path, tensors, metadata, Set.of());
  }

  /**
   * Writes as {@link #write(Path, Map, Map)} does, storing the tensors named in {@code int64} as
   * 64-bit integers (their values rounded towards zero), as PyTorch stores counters.
   */
  public static void write(
      Path path, Map<String, HostArray> tensors, Map<String, String> metadata, Set<String> int64)
      throws IOException {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(int64, "int64");
    byte[] header = header(tensors, metadata, int64);
    AtomicFiles.write(path, out -> writeTo(out, header, tensors, int64));
  }

  /** Writes the same bytes as {@link #write} to a stream (not atomic, does not close it). */
  public static void writeTo(
      OutputStream out, Map<String, HostArray> tensors, Map<String, String> metadata)
      throws IOException {
    writeTo(out, header(tensors, metadata, Set.of()), tensors, Set.of());
  }

  private static void writeTo(
      OutputStream out, byte[] header, Map<String, HostArray> tensors, Set<String> int64)
      throws IOException {
    byte[] chunk = new byte[CHUNK_BYTES];
    ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(0, header.length);
    out.write(chunk, 0, Long.BYTES);
    out.write(header);
    for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
      float[] data = e.getValue().data();
      if (int64.contains(e.getKey())) {
        ByteBuffer longs = ByteBuffer.allocate(data.length * Long.BYTES);
        longs.order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
          longs.putLong((long) v);
        }
        out.write(longs.array());
        continue;
      }
      for (int from = 0; from < data.length; from += CHUNK_BYTES / Float.BYTES) {
        int n = Math.min(CHUNK_BYTES / Float.BYTES, data.length - from);
        bytes.clear();
        bytes.asFloatBuffer().put(data, from, n);
        out.write(chunk, 0, n * Float.BYTES);
      }
    }
  }

  /** The JSON header, padded with spaces so that the data section starts 8-byte aligned. */
  private static byte[] header(
      Map<String, HostArray> tensors, Map<String, String> metadata, Set<String> int64) {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(METADATA_KEY);
      metadata.forEach(
          (k, v) -> meta.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, k)));
    }
    long offset = 0;
    for (Map.Entry<String, HostArray> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("invalid tensor name '" + name + "'");
      }
      HostArray array = Objects.requireNonNull(e.getValue(), name);
      ObjectNode entry = root.putObject(name);
      boolean asLong = int64.contains(name);
      entry.put("dtype", asLong ? "I64" : "F32");
      ArrayNode shape = entry.putArray("shape");
      for (int d : array.shape()) {
        shape.add(d);
      }
      long end = offset + (long) array.size() * (asLong ? Long.BYTES : Float.BYTES);
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
    int padded = (json.length + Long.BYTES - 1) / Long.BYTES * Long.BYTES;
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  /**
   * Reads a safetensors file holding float32 tensors.
   *
   * @throws MalformedFileException if the file breaks the format (the message names the file, the
   *     byte offset and the problem), or holds another dtype than F32
   * @throws IOException if the file cannot be read
   */
  public static SafeTensorsFile read(Path path) throws IOException {
    Runtime rt = Runtime.getRuntime();
    return read(path, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()));
  }

  /** Reads as {@link #read(Path)} does, refusing files whose floats need more than {@code heap}. */
  static SafeTensorsFile read(Path path, long heap) throws IOException {
    String name = path.toString();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < Long.BYTES) {
        throw MalformedFileException.atOffset(
            name, 0, "file has " + fileSize + " bytes, too short for the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, name);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
        throw MalformedFileException.atOffset(
            name,
            0,
            "not a safetensors file: its first 8 bytes give a header length of "
                + Long.toUnsignedString(headerLength)
                + ", outside [2, "
                + MAX_HEADER_BYTES
                + "]");
      }
      if (headerLength > fileSize - Long.BYTES) {
        throw MalformedFileException.atOffset(
            name,
            0,
            "header length "
                + headerLength
                + " exceeds the "
                + (fileSize - Long.BYTES)
                + " bytes after the length field");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, Long.BYTES, name);
      long dataStart = Long.BYTES + headerLength;
      Header header = parseHeader(headerBytes.array(), fileSize - dataStart, name);
      long needed = 0;
      for (Entry entry : header.entries) {
        needed += (long) entry.elements * Float.BYTES;
      }
      if (needed > heap) {
        throw new MalformedFileException(
            name,
            "header at byte offset 8",
            String.format(
                java.util.Locale.ROOT,
                "its tensors need %.1f MB as float32 but only %.1f MB of the Java heap are free"
                    + " (raise -Xmx)",
                needed / 1e6,
                heap / 1e6));
      }
      Map<String, HostArray> tensors = new LinkedHashMap<>();
      for (Entry entry : header.entries) {
        float[] data = new float[entry.elements];
        readValues(channel, dataStart + entry.begin, entry.dtype, data, name);
        tensors.put(entry.name, new HostArray(entry.shape, data));
      }
      return new SafeTensorsFile(tensors, header.metadata);
    }
  }

  private record Entry(
      String name, String dtype, int[] shape, int elements, long begin, long end) {}

  private record Header(List<Entry> entries, Map<String, String> metadata) {}

  /** Parses and validates the header against a data section of {@code dataSize} bytes. */
  private static Header parseHeader(byte[] bytes, long dataSize, String file)
      throws MalformedFileException {
    if (bytes[0] != '{') {
      throw MalformedFileException.atOffset(file, Long.BYTES, "header does not start with '{'");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new MalformedFileException(
          file, "header at byte offset 8", "invalid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw MalformedFileException.atOffset(file, Long.BYTES, "header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(field.getValue(), metadata, file);
      } else {
        entries.add(readEntry(field.getKey(), field.getValue(), dataSize, file));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long declared = 0;
    for (Entry e : entries) {
      declared = Math.max(declared, e.end);
    }
    if (declared > dataSize) {
      throw new MalformedFileException(
          file,
          "end of file",
          "file is truncated: its header declares "
              + declared
              + " bytes of tensor data but only "
              + dataSize
              + " follow the header ("
              + (declared - dataSize)
              + " bytes missing)");
    }
    long expected = 0;
    for (Entry e : entries) {
      if (e.begin != expected) {
        throw headerError(
            file,
            "tensor '"
                + e.name
                + "' starts at data offset "
                + e.begin
                + " but the previous tensor ends at "
                + expected
                + (e.begin < expected ? " (overlap)" : " (gap)"));
      }
      expected = e.end;
    }
    if (expected != dataSize) {
      throw headerError(
          file, "tensors cover " + expected + " bytes but the data section has " + dataSize);
    }
    return new Header(entries, metadata);
  }

  private static void readMetadata(JsonNode node, Map<String, String> metadata, String file)
      throws MalformedFileException {
    if (!node.isObject()) {
      throw headerError(file, "__metadata__ is not a JSON object");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw headerError(file, "__metadata__ value of '" + e.getKey() + "' is not a string");
      }
      metadata.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static Entry readEntry(String name, JsonNode node, long dataSize, String file)
      throws MalformedFileException {
    String what = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw headerError(file, what + " is not a JSON object");
    }
    JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw headerError(file, what + " has no string dtype");
    }
    int width = elementBytes(dtype.textValue());
    if (width == 0) {
      throw headerError(
          file, what + " has dtype " + dtype.textValue() + "; only F32, F64 and I64 are supported");
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw headerError(file, what + " has no shape array");
    }
    int[] shape = new int[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = nonNegativeInteger(shapeNode.get(i), file, what + " shape[" + i + "]");
      if (d > Integer.MAX_VALUE) {
        throw headerError(file, what + " dimension " + d + " exceeds 2^31-1");
      }
      shape[i] = (int) d;
      elements *= d;
      if (elements > Integer.MAX_VALUE) {
        throw headerError(file, what + " has more than 2^31-1 elements");
      }
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw headerError(file, what + " has no data_offsets pair");
    }
    long begin = nonNegativeInteger(offsets.get(0), file, what + " data_offsets[0]");
    long end = nonNegativeInteger(offsets.get(1), file, what + " data_offsets[1]");
    if (begin > end) {
      throw headerError(file, what + " data_offsets [" + begin + ", " + end + "] run backwards");
    }
    if (end - begin != elements * width) {
      throw headerError(
          file,
          what
              + " shape "
              + Arrays.toString(shape)
              + " needs "
              + elements * width
              + " bytes but data_offsets span "
              + (end - begin));
    }
    return new Entry(name, dtype.textValue(), shape, (int) elements, begin, end);
  }

  /** Bytes per element of a supported dtype, 0 for any other. */
  private static int elementBytes(String dtype) {
    return switch (dtype) {
      case "F32" -> Float.BYTES;
      case "F64", "I64" -> Long.BYTES;
      default -> 0;
    };
  }

  private static long nonNegativeInteger(JsonNode node, String file, String what)
      throws MalformedFileException {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw headerError(file, what + " is not a non-negative integer: " + node);
    }
    return node.asLong();
  }

  private static MalformedFileException headerError(String file, String detail) {
    return new MalformedFileException(file, "header at byte offset 8", detail);
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position, String file)
      throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, at);
      if (n < 0) {
        throw MalformedFileException.atOffset(file, at, "unexpected end of file");
      }
      at += n;
    }
  }

  private static void readValues(
      FileChannel channel, long position, String dtype, float[] dst, String file)
      throws IOException {
    if (dtype.equals("F32")) {
      readFloats(channel, position, dst, file);
      return;
    }
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int done = 0;
    while (done < dst.length) {
      int n = Math.min(CHUNK_BYTES / Long.BYTES, dst.length - done);
      chunk.clear().limit(n * Long.BYTES);
      readFully(channel, chunk, position + (long) done * Long.BYTES, file);
      chunk.flip();
      for (int i = 0; i < n; i++) {
        dst[done + i] = dtype.equals("I64") ? (float) chunk.getLong() : (float) chunk.getDouble();
      }
      done += n;
    }
  }

  private static void readFloats(FileChannel channel, long position, float[] dst, String file)
      throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int done = 0;
    while (done < dst.length) {
      int n = Math.min(CHUNK_BYTES / Float.BYTES, dst.length - done);
      chunk.clear().limit(n * Float.BYTES);
      readFully(channel, chunk, position + (long) done * Float.BYTES, file);
      chunk.flip();
      chunk.asFloatBuffer().get(dst, done, n);
      done += n;
    }
  }
}
