package dev.dnn.examples;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import dev.dnn.data.FashionMnist;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains a small classifier, saves it, loads it back (as a serving process would) and predicts
 * class probabilities for plain {@code float[][]} rows.
 *
 * <p>Arguments: {@code [epochs] [model-file]}.
 */
public final class SaveLoadPredict {
  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path file =
        args.length > 1 ? Path.of(args[1]) : Files.createTempFile("fashion", ".safetensors");
    DataSplit split = FashionMnist.bundledTestSplit().test().split(0.8, 0.1, 1L, true);
    try (Backend backend = Backends.select()) {
      try (Model model =
          Model.sequential(Dense.of(784, 128), Activation.RELU, Dense.of(128, 10)).on(backend)) {
        Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .optimizer(Adam.learningRate(1e-3))
            .batchSize(128)
            .epochs(epochs)
            .seed(1)
            .build()
            .fit(model, split.train(), split.dev());
        ModelFile.save(model, null, file);
      }

      // Another process: load the file and predict rows of 784 pixels in [0, 1].
      DataSet test = split.test();
      float[][] rows = new float[5][784];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(test.featuresView(), r * 784, rows[r], 0, 784);
      }
      try (ModelFile.Loaded loaded = ModelFile.load(file, backend)) {
        float[][] probabilities = loaded.model().predict(rows);
        int[] classes = loaded.model().predictClasses(rows);
        for (int r = 0; r < rows.length; r++) {
          System.out.printf(
              "image %d: %s (p = %.3f), labelled %s%n",
              r,
              FashionMnist.CLASS_NAMES.get(classes[r]),
              probabilities[r][classes[r]],
              FashionMnist.CLASS_NAMES.get(test.label(r)));
        }
        System.out.printf("Test accuracy %.2f%%%n", 100 * loaded.model().evaluate(test).accuracy());
      }
    }
  }
}
