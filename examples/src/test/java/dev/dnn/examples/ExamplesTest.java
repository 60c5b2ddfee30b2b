package dev.dnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example as a user would, with few epochs, and checks what it prints. Accuracy floors
 * sit far above chance (10% for ten classes, 20% for five, 33% for three) and far below what the
 * runs reach, so that they fail only when an example stops learning.
 */
class ExamplesTest {
  @TempDir Path dir;

  interface Main {
    void run(String[] args) throws Exception;
  }

  private static String run(Main main, String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run(args);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out);
    return out;
  }

  private static double lastAccuracy(String out, String prefix) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\d+\\.\\d+)%").matcher(out);
    double last = Double.NaN;
    while (m.find()) {
      last = Double.parseDouble(m.group(1)) / 100;
    }
    assertTrue(!Double.isNaN(last), "no '" + prefix + "' in:\n" + out);
    return last;
  }

  @Test
  void quickStartTrainsAndSaves() throws Exception {
    Path model = dir.resolve("fashion.safetensors");
    String out = run(QuickStart::main, "2", model.toString());
    assertTrue(out.contains("Total parameters: 397,510"), out);
    assertTrue(lastAccuracy(out, "Test accuracy ") > 0.6, out);
    assertTrue(Files.size(model) > 397_510L * 4, "the model file holds every parameter");
  }

  @Test
  void csvClassifierStandardizesStopsEarlyAndReports() throws Exception {
    String out = run(CsvClassifier::main, "60");
    assertTrue(out.contains("macro average"), out);
    assertTrue(lastAccuracy(out, "Test accuracy ") > 0.6, out);
  }

  @Test
  void savedModelsPredictAfterLoading() throws Exception {
    String out = run(SaveLoadPredict::main, "2", dir.resolve("m.safetensors").toString());
    assertEquals(5, out.lines().filter(l -> l.startsWith("image ")).count(), out);
    assertTrue(lastAccuracy(out, "Test accuracy ") > 0.6, out);
  }

  @Test
  void fineTuningReusesTheFrozenLayer() throws Exception {
    String out = run(FineTune::main, "6");
    assertTrue(out.contains("frozen"), out);
    assertTrue(lastAccuracy(out, "Target classes 5-9: test accuracy ") > 0.5, out);
  }
}
