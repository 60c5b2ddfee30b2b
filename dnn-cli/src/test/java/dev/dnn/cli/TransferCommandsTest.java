package dev.dnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.cli.report.Format;
import dev.dnn.data.DataSet;
import dev.dnn.data.FashionMnist;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.Trainer;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-file commands: a model saved from memory or by {@code train --save} loads back in
 * {@code evaluate}, {@code predict} and {@code fine-tune}, and predicts what the in-memory model
 * predicts.
 */
class TransferCommandsTest {
  private static final int EXAMPLES = 200;

  @TempDir Path dir;

  private static DataSet images;

  @BeforeAll
  static void loadImages() throws IOException {
    images = FashionMnist.bundledTestSplit().test().select(IntStream.range(0, EXAMPLES).toArray());
  }

  /** Writes the images as an IDX3 file of bytes, the format of the Fashion-MNIST downloads. */
  private static void writeIdx(DataSet data, Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.writeInt(0x00000803);
      out.writeInt(data.size());
      out.writeInt(28);
      out.writeInt(28);
      for (float v : data.featuresView()) {
        out.writeByte(Math.round(v * 255));
      }
    }
  }

  private static void writeCsv(DataSet data, Path file) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append(
            String.join(",", IntStream.range(0, 784).mapToObj(i -> "p" + i).toArray(String[]::new)))
        .append('\n');
    float[] x = data.featuresView();
    for (int r = 0; r < data.size(); r++) {
      for (int c = 0; c < 784; c++) {
        s.append(c == 0 ? "" : ",").append(x[r * 784 + c]);
      }
      s.append('\n');
    }
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }

  private static int[] readLabels(String text) {
    return text.lines().filter(l -> !l.isBlank()).mapToInt(Integer::parseInt).toArray();
  }

  @Test
  void aSavedModelPredictsWhatTheInMemoryModelPredicts() throws IOException {
    Path modelFile = dir.resolve("model.safetensors");
    Path idx = dir.resolve("images-idx3-ubyte");
    Path csv = dir.resolve("images.csv");
    writeIdx(images, idx);
    writeCsv(images, csv);
    int[] expected;
    double expectedAccuracy;
    try (Backend cpu = Backends.select("cpu");
        Model model =
            Model.sequential(784, Dense.of(784, 32), Activation.RELU, Dense.of(32, 10)).on(cpu, 3);
        Adam adam = Adam.learningRate(1e-3)) {
      DataSet all = FashionMnist.bundledTestSplit().test();
      Trainer.builder()
          .loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .optimizer(adam)
          .batchSize(64)
          .epochs(1)
          .seed(3)
          .build()
          .fit(model, all.select(IntStream.range(EXAMPLES, EXAMPLES + 1000).toArray()));
      expected = model.predictClasses(images);
      expectedAccuracy = model.evaluate(all).accuracy();
      ModelFile.save(model, null, modelFile);
    }
    // A trained model predicts more than one class; otherwise equality would prove little.
    assertTrue(IntStream.of(expected).distinct().count() > 3);

    DnnCommandTest.Outcome idxRun =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            modelFile.toString(),
            "--input",
            idx.toString());
    assertEquals(0, idxRun.status(), idxRun.err());
    // IDX bytes round the [0, 1] pixels back to the same 1/255 steps they came from.
    assertArrayEquals(expected, readLabels(idxRun.out()));

    Path labels = dir.resolve("labels.txt");
    DnnCommandTest.Outcome csvRun =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            modelFile.toString(),
            "--input",
            csv.toString(),
            "--output",
            labels.toString());
    assertEquals(0, csvRun.status(), csvRun.err());
    assertArrayEquals(expected, readLabels(Files.readString(labels)));

    DnnCommandTest.Outcome evaluation =
        DnnCommandTest.run("evaluate", "--backend", "cpu", "--model", modelFile.toString());
    assertEquals(0, evaluation.status(), evaluation.err());
    // The build points the default directory at an empty folder: evaluate scores the bundled
    // test images, the same ones the accuracy above was computed on.
    assertTrue(
        evaluation.out().contains("Test accuracy " + Format.percent(expectedAccuracy)),
        evaluation.out());
  }

  @Test
  void trainSaveThenEvaluateAndFineTuneToOtherClasses() throws IOException {
    Path trained = dir.resolve("trained.safetensors");
    Path tuned = dir.resolve("tuned.safetensors");
    DnnCommandTest.Outcome train =
        DnnCommandTest.run(
            "train",
            "--backend",
            "cpu",
            "--hidden",
            "16",
            "--epochs",
            "1",
            "--limit",
            "300",
            "--save",
            trained.toString());
    assertEquals(0, train.status(), train.err());
    assertTrue(Files.exists(trained));

    DnnCommandTest.Outcome evaluation =
        DnnCommandTest.run("evaluate", "--backend", "cpu", "--model", trained.toString());
    assertEquals(0, evaluation.status(), evaluation.err());
    assertTrue(evaluation.out().contains("Test accuracy"), evaluation.out());
    // The per-class report, with the names the model file records.
    assertTrue(evaluation.out().contains("macro average"), evaluation.out());
    assertTrue(evaluation.out().contains("9 Ankle boot"), evaluation.out());

    DnnCommandTest.Outcome fineTune =
        DnnCommandTest.run(
            "fine-tune",
            "--backend",
            "cpu",
            "--model",
            trained.toString(),
            "--classes",
            "5-9",
            "--freeze",
            "2",
            "--epochs",
            "1",
            "--lr",
            "1e-3",
            "--limit",
            "200",
            "--save",
            tuned.toString());
    assertEquals(0, fineTune.status(), fineTune.err());
    assertTrue(fineTune.out().contains("Head: replaced"), fineTune.out());

    DnnCommandTest.Outcome tunedEvaluation =
        DnnCommandTest.run(
            "evaluate", "--backend", "cpu", "--model", tuned.toString(), "--classes", "5-9");
    assertEquals(0, tunedEvaluation.status(), tunedEvaluation.err());
    // Output 0 of the narrowed model is the original class 5, and the file says so.
    assertTrue(tunedEvaluation.out().contains("0 Sandal"), tunedEvaluation.out());
    assertTrue(!tunedEvaluation.out().contains("T-shirt"), tunedEvaluation.out());

    Path idx = dir.resolve("images-idx3-ubyte");
    writeIdx(images, idx);
    DnnCommandTest.Outcome named =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            tuned.toString(),
            "--input",
            idx.toString(),
            "--names");
    assertEquals(0, named.status(), named.err());
    java.util.Set<String> targetNames =
        java.util.Set.of("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    List<String> predicted = named.out().lines().toList();
    assertEquals(EXAMPLES, predicted.size());
    assertTrue(targetNames.containsAll(predicted), predicted.toString());
    // The fine-tuned model has 5 outputs: the full 10-class test set does not fit it.
    DnnCommandTest.Outcome mismatch =
        DnnCommandTest.run("evaluate", "--backend", "cpu", "--model", tuned.toString());
    assertEquals(ErrorHandler.USER_ERROR, mismatch.status());
    assertTrue(mismatch.err().contains("only 5 outputs"), mismatch.err());
  }

  @Test
  void badInputNamesTheFileAndLine() throws IOException {
    Path modelFile = dir.resolve("small.safetensors");
    try (Backend cpu = Backends.select("cpu");
        Model model = Model.sequential(784, Dense.of(784, 10)).on(cpu, 1)) {
      ModelFile.save(model, null, modelFile);
    }
    Path csv = dir.resolve("short.csv");
    Files.writeString(csv, "1,2,3\n");
    DnnCommandTest.Outcome run =
        DnnCommandTest.run(
            "predict",
            "--backend",
            "cpu",
            "--model",
            modelFile.toString(),
            "--input",
            csv.toString());
    assertEquals(ErrorHandler.USER_ERROR, run.status());
    assertTrue(run.err().contains("line 1") && run.err().contains("784"), run.err());
  }
}
