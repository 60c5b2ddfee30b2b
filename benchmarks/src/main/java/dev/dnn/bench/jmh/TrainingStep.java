package dev.dnn.bench.jmh;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.cli.run.Networks;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.data.DataSet;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Model;
import dev.dnn.optim.Optimizer;
import dev.dnn.train.Trainer;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One full training step of a classifier on Fashion-MNIST-shaped data, run by the library's own
 * {@link dev.dnn.train.TrainingStep} (what {@code Trainer.fit} runs per batch): upload of the host
 * batch, forward pass, fused softmax + cross-entropy, the read of the batch loss to the host and
 * its divergence check, backward pass and one optimizer update of every parameter, ended by {@link
 * Backend#synchronize()}. The benchmark classes pick the network.
 */
final class TrainingStep implements AutoCloseable {
  static final int FEATURES = 784;
  static final int CLASSES = 10;

  private final Backend backend;
  private final Model model;
  private final Optimizer optimizer;
  private final dev.dnn.train.TrainingStep step;
  private final DataSet data;
  private final int[] order;
  private final int batch;
  private long stepNumber;

  /** Builds the network of {@code hidden} widths on the named backend, with random input. */
  TrainingStep(
      String backendName,
      List<Integer> hidden,
      ActivationKind activation,
      String optimizerName,
      double learningRate,
      int batch) {
    RunConfig config =
        new RunConfig(
            "benchmark",
            hidden,
            activation,
            Activation.suitedInit(activation),
            optimizerName,
            learningRate,
            batch,
            1,
            0,
            1);
    backend = BenchmarkBackends.open(backendName);
    model = Networks.classifier(config, FEATURES, CLASSES).on(backend, 1);
    optimizer = Networks.optimizer(optimizerName, learningRate);
    step =
        Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY)
            .optimizer(optimizer)
            .batchSize(batch)
            .seed(1)
            .build()
            .step(model);
    Random random = new Random(1);
    float[] features = new float[batch * FEATURES];
    for (int i = 0; i < features.length; i++) {
      features[i] = random.nextFloat();
    }
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = random.nextInt(CLASSES);
    }
    data = DataSet.classification(features, FEATURES, labels, CLASSES);
    order = IntStream.range(0, batch).toArray();
    this.batch = batch;
  }

  /** Runs one step and waits for it; returns the batch loss, as {@code fit} reads it. */
  double run() {
    double loss = step.run(data, order, 0, batch, 0, 0, ++stepNumber);
    backend.synchronize();
    return loss;
  }

  @Override
  public void close() {
    step.close();
    optimizer.close();
    model.close();
    backend.close();
  }
}
