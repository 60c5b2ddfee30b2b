package dev.dnn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The CSV file a model was trained on and its seeded split, as the model file records it, so that
 * {@code evaluate} and {@code predict} recognise the file (by its SHA-256) and score the held-out
 * test rows instead of rows the model was trained on.
 *
 * @param file the file's name when trained on, for messages
 * @param sha256 the file's SHA-256, hex
 * @param seed the split's seed
 * @param train the training fraction
 * @param dev the dev fraction
 * @param stratified whether the split kept class proportions
 * @param label the label column
 */
record TrainingFile(
    String file,
    String sha256,
    long seed,
    double train,
    double dev,
    boolean stratified,
    String label) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The record of {@code csv} and its split, as JSON for the model file. */
  static String describe(
      Path csv, long seed, double train, double dev, boolean stratified, String label) {
    TrainingFile record =
        new TrainingFile(
            csv.getFileName().toString(), sha256(csv), seed, train, dev, stratified, label);
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the training-file record", e);
    }
  }

  /** The record a model file holds, if any and readable. */
  static Optional<TrainingFile> read(String json) {
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(json, TrainingFile.class));
    } catch (JsonProcessingException e) {
      return Optional.empty(); // a record we cannot read only costs the warning it would give
    }
  }

  /** Whether {@code csv} holds exactly the bytes this model was trained on. */
  boolean isFile(Path csv) {
    return sha256.equals(sha256(csv));
  }

  /** The test part of {@code all} under the recorded split. */
  DataSet testRows(DataSet all) {
    return DataSplit.of(all, train, dev, seed, stratified).test();
  }

  /** A line saying which rows are scored. */
  String note(int heldOut, int total) {
    return "Note: "
        + file
        + " is the file this model was trained on; scoring its "
        + heldOut
        + " held-out test rows (seed "
        + seed
        + ") of "
        + total
        + ". Give --all-rows to score every row, training rows included.";
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
