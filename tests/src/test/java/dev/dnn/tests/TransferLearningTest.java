package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.data.FashionMnist;
import dev.dnn.init.Init;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.optim.Optimizer;
import dev.dnn.train.Trainer;
import java.io.IOException;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transfer learning end to end on the bundled Fashion-MNIST test split: a network pretrained on
 * classes 0-4 (T-shirt, trouser, pullover, dress, coat) keeps its first hidden layer, gets a new
 * head, trains the head with that layer frozen on a small budget of classes 5-9 (sandal, shirt,
 * sneaker, bag, ankle boot, relabelled 0-4), then is unfrozen and fine-tuned with a smaller
 * learning rate.
 *
 * <p>What this asserts is the mechanics: the frozen layer is untouched by head training, the head
 * learns on the frozen features (well above the 20% of chance), and fine-tuning the whole network
 * improves on the head alone. Whether transfer beats training from scratch is a statistical
 * question, answered over 20 seeds by {@code TransferAdvantageTest} in the benchmarks module and by
 * {@code ./dnn transfer} (figures in BENCHMARKS.md): at 20 examples per class it does, by under a
 * percentage point; at 5 per class and below it does not.
 */
class TransferLearningTest {
  private static final int BUDGET = 300;
  private static final int HELD_OUT = 2000;
  private static final long SEED = 11;

  private static ModelSpec mlp(int classes) {
    return Model.sequential(
        784,
        Dense.of(784, 128).init(Init.HE_NORMAL),
        Activation.RELU,
        Dense.of(128, 64).init(Init.HE_NORMAL),
        Activation.RELU,
        Dense.of(64, classes));
  }

  /** The examples of classes {@code first..first+count-1}, relabelled from 0, in seeded order. */
  private static DataSet classes(DataSet all, int first, int count, long seed) {
    DataSet shuffled = all.shuffle(seed);
    int[] picked =
        IntStream.range(0, shuffled.size())
            .filter(i -> shuffled.label(i) >= first && shuffled.label(i) < first + count)
            .toArray();
    int width = all.featureCount();
    float[] x = new float[picked.length * width];
    int[] y = new int[picked.length];
    float[] features = shuffled.featuresView();
    for (int i = 0; i < picked.length; i++) {
      System.arraycopy(features, picked[i] * width, x, i * width, width);
      y[i] = shuffled.label(picked[i]) - first;
    }
    return DataSet.classification(x, width, y, count);
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }

  private static Trainer trainer(Optimizer optimizer, int epochs, int batch) {
    return Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(optimizer)
        .batchSize(batch)
        .epochs(epochs)
        .seed(SEED)
        .build();
  }

  @ParameterizedTest
  @MethodSource("dev.dnn.tests.TestBackends#all")
  void freezeTrainHeadUnfreezeFineTune(Backend backend) throws IOException {
    DataSet all = FashionMnist.bundledTestSplit().test();
    DataSet source = classes(all, 0, 5, SEED);
    DataSet target = classes(all, 5, 5, SEED + 1);
    DataSet small = target.select(range(0, BUDGET));
    DataSet heldOut = target.select(range(BUDGET, BUDGET + HELD_OUT));

    try (Model pretrained = Model.fromSpec(mlp(5), backend, SEED);
        Adam adam = Adam.learningRate(1e-3)) {
      trainer(adam, 3, 64).fit(pretrained, source);
      // A copy of every layer is the same network: the copy below the head is exact.
      try (Model copy = pretrained.replaceHead(pretrained.layers().size(), SEED)) {
        assertArrayEquals(pretrained.predict(source), copy.predict(source));
      }
      float[] pretrainedWeight = pretrained.get("layers.0.weight");
      float[] pretrainedBias = pretrained.get("layers.0.bias");

      // Keep the first hidden layer (top-level layers 0 and 1: dense and its ReLU), new head.
      try (Model transfer =
              pretrained.replaceHead(
                  2,
                  SEED + 2,
                  Dense.of(128, 64).init(Init.HE_NORMAL),
                  Activation.RELU,
                  Dense.of(64, 5));
          Adam head = Adam.learningRate(3e-3);
          Adam fine = Adam.learningRate(1e-3)) {
        transfer.freeze(2);
        trainer(head, 3, 32).fit(transfer, small);
        assertArrayEquals(pretrainedWeight, transfer.get("layers.0.weight"), 0f);
        assertArrayEquals(pretrainedBias, transfer.get("layers.0.bias"), 0f);
        double headOnly = transfer.evaluate(heldOut).accuracy();
        // Chance is 0.2; head training on the frozen features measured 0.75 on the CPU.
        assertTrue(headOnly > 0.6, "head on frozen features: accuracy " + headOnly);

        transfer.unfreeze();
        trainer(fine, 3, 32).fit(transfer, small);
        double fineTuned = transfer.evaluate(heldOut).accuracy();
        // Fine-tuning (measured 0.89 on the CPU) moved the first layer and beat the head alone.
        assertTrue(
            !java.util.Arrays.equals(pretrainedWeight, transfer.get("layers.0.weight")),
            "fine-tuning left the unfrozen first layer unchanged");
        assertTrue(
            fineTuned > headOnly + 0.01,
            "fine-tuned accuracy " + fineTuned + " vs head only " + headOnly);
      }
    }
  }
}
