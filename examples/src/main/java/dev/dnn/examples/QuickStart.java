package dev.dnn.examples;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.DataSplit;
import dev.dnn.data.FashionMnist;
import dev.dnn.init.Init;
import dev.dnn.io.ModelFile;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Dropout;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.EarlyStopping;
import dev.dnn.train.History;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/** Trains a classifier on the Fashion-MNIST images bundled with dnn and prints its accuracy. */
public final class QuickStart {
  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    FashionMnist data = FashionMnist.bundledTestSplit(); // or FashionMnist.fromDirectory(dir)
    DataSplit split = data.test().split(0.8, 0.1, 1L, true); // seeded, stratified 80/10/10
    try (Backend backend = Backends.select(); // CUDA if usable, else CPU (logged why)
        Model model =
            Model.sequential(
                    Dense.of(784, 500).init(Init.HE_NORMAL),
                    Activation.RELU,
                    Dropout.keep(0.8),
                    Dense.of(500, 10))
                .on(backend)) {
      System.out.print(model.summary());
      Trainer trainer =
          Trainer.builder()
              .loss(Loss.SOFTMAX_CROSS_ENTROPY)
              .optimizer(Adam.learningRate(1e-3))
              .batchSize(512)
              .epochs(epochs)
              .seed(1)
              .earlyStopping(EarlyStopping.onDevAccuracy().patience(5))
              .build();
      History history = trainer.fit(model, split.train(), split.dev());
      double accuracy = model.evaluate(split.test()).accuracy();
      System.out.printf(
          "Test accuracy %.2f%% after %d epochs%n", 100 * accuracy, history.epochs().size());
      Path file = Path.of(args.length > 1 ? args[1] : "fashion.safetensors");
      ModelFile.save(model, null, file); // readable by PyTorch too
    }
  }
}
