package dev.dnn.examples;

import dev.dnn.backend.Backend;
import dev.dnn.backend.Backends;
import dev.dnn.data.DataSet;
import dev.dnn.data.DataSplit;
import dev.dnn.data.FashionMnist;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.optim.Adam;
import dev.dnn.train.Trainer;
import java.io.IOException;

/**
 * Transfer learning: pretrains on the clothing classes 0-4, then keeps the first hidden layer
 * frozen, replaces the rest with a new head for classes 5-9 (shoes and bags) and trains only the
 * head on a few examples.
 *
 * <p>Arguments: {@code [epochs]}.
 */
public final class FineTune {
  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    DataSet all = FashionMnist.bundledTestSplit().test();
    DataSplit source = all.ofClasses(0, 1, 2, 3, 4).split(0.8, 0.1, 1L, true);
    DataSplit target = all.ofClasses(5, 6, 7, 8, 9).split(0.2, 0.1, 1L, true);
    try (Backend backend = Backends.select();
        Model pretrained =
            Model.sequential(
                    Dense.of(784, 256).init(Init.HE_NORMAL), Activation.RELU, Dense.of(256, 5))
                .on(backend, 1)) {
      train(pretrained, source, epochs);
      System.out.printf(
          "Source classes 0-4: test accuracy %.2f%%%n",
          100 * pretrained.evaluate(source.test()).accuracy());

      // Keep layers 0-1 (the dense layer and its ReLU), frozen; a new 5-way head on top.
      pretrained.freeze(2);
      try (Model transferred = pretrained.replaceHead(2, 2, Dense.of(256, 5))) {
        System.out.print(transferred.summary());
        train(transferred, target, epochs);
        System.out.printf(
            "Target classes 5-9: test accuracy %.2f%%%n",
            100 * transferred.evaluate(target.test()).accuracy());
      }
    }
  }

  private static void train(Model model, DataSplit data, int epochs) {
    Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(Adam.learningRate(1e-3))
        .batchSize(64)
        .epochs(epochs)
        .seed(1)
        .build()
        .fit(model, data.train(), data.dev());
  }
}
