package dev.dnn.bench.jmh;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.cli.run.Networks;
import dev.dnn.cli.run.RunConfig;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Model;
import dev.dnn.nn.Pass;
import dev.dnn.optim.Optimizer;
import dev.dnn.tensor.Shape;
import dev.dnn.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * One full training step of a classifier on Fashion-MNIST-shaped data: upload of the host batch,
 * forward pass, fused softmax + cross-entropy, backward pass and one optimizer update of every
 * parameter, ended by {@link Backend#synchronize()}. The benchmark classes pick the network.
 */
final class TrainingStep implements AutoCloseable {
  static final int FEATURES = 784;
  static final int CLASSES = 10;

  private final Backend backend;
  private final Model model;
  private final Optimizer optimizer;
  private final float[] hostFeatures;
  private final float[] hostLabels;
  private final Tensor features;
  private final Tensor labels;
  private final Tensor grad;
  private final Tensor lossSum;
  private long step;

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
    model.setLoss(Loss.SOFTMAX_CROSS_ENTROPY);
    optimizer = Networks.optimizer(optimizerName, learningRate);
    Random random = new Random(1);
    hostFeatures = new float[batch * FEATURES];
    for (int i = 0; i < hostFeatures.length; i++) {
      hostFeatures[i] = random.nextFloat();
    }
    hostLabels = new float[batch];
    for (int i = 0; i < batch; i++) {
      hostLabels[i] = random.nextInt(CLASSES);
    }
    features = backend.zeros(Shape.matrix(batch, FEATURES));
    labels = backend.zeros(Shape.vector(batch));
    grad = backend.zeros(Shape.matrix(batch, CLASSES));
    lossSum = backend.zeros(Shape.vector(1));
  }

  /** Runs one step and waits for it. */
  void run() {
    backend.copyFromHost(hostFeatures, 0, features);
    backend.copyFromHost(hostLabels, 0, labels);
    Tensor output = model.forward(features, Pass.training(1, ++step));
    Loss.SOFTMAX_CROSS_ENTROPY.apply(backend, output, labels, grad, lossSum);
    model.backward(grad);
    optimizer.step(model.trainableParameters(), model.gradients());
    backend.synchronize();
  }

  @Override
  public void close() {
    optimizer.close();
    model.close();
    backend.close();
  }
}
