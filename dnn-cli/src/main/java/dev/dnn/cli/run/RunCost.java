package dev.dnn.cli.run;

import dev.dnn.nn.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * What one configuration costs before it runs, from its shape alone: the memory its model takes
 * while training and the arithmetic of the whole run. Immutable; may be shared between threads.
 *
 * <p><b>Memory</b>, float32, as the layers hold it: the weights and biases, a gradient of each, the
 * optimizer's state ({@link #optimizerSlots}: none for SGD, one tensor per parameter for momentum,
 * AdaGrad and RMSProp, two for Adam and Nadam), and the per-batch buffers of every dense layer: its
 * pre-activation, output and their gradient ({@code 3 x batch x out}) and the gradient of its input
 * ({@code batch x in}), kept twice, for the full batch and the last, partial one (a layer keeps one
 * set per batch size), plus the inference buffers of evaluation: two sides and a scratch slot of
 * {@link Model#INFERENCE_BATCH} rows of the widest layer. The backend's own scratch (GEMM packing)
 * and the data are not counted.
 *
 * <p><b>Arithmetic</b>, counting a multiply-add as two operations: with {@code M} the multiply-adds
 * of one example's forward pass (the sum of {@code in x out} over the dense layers), a training
 * example costs {@code 6M} (forward {@code 2M}, the weight gradients {@code 2M}, the input
 * gradients {@code 2M}) less {@code 2 x in x out} of the first layer, whose input gradient is not
 * computed; the dev set is evaluated after each epoch ({@code 2M} an example) and the three splits
 * once at the end.
 *
 * @param parameters the weights and biases of the network
 * @param parameterBytes what they take, float32
 * @param gradientBytes what their gradients take
 * @param optimizerBytes what the optimizer's state takes
 * @param activationBytes what the per-batch buffers of training and evaluation take
 * @param trainingFlopsPerExample operations of one training example, forward and backward
 * @param forwardFlopsPerExample operations of one example's forward pass
 * @param trainExamples examples of an epoch
 * @param devExamples examples evaluated after each epoch
 * @param testExamples examples evaluated once at the end, besides the train and dev ones
 * @param epochs passes over the training examples
 * @param batchSize examples per step
 */
public record RunCost(
    long parameters,
    long parameterBytes,
    long gradientBytes,
    long optimizerBytes,
    long activationBytes,
    double trainingFlopsPerExample,
    double forwardFlopsPerExample,
    int trainExamples,
    int devExamples,
    int testExamples,
    int epochs,
    int batchSize) {

  /** Bytes of one float32. */
  private static final int FLOAT = Float.BYTES;

  /** What {@code config} costs on data of these widths and sizes. */
  public static RunCost of(
      RunConfig config,
      int inputs,
      int classes,
      int trainExamples,
      int devExamples,
      int testExamples) {
    List<Integer> widths = new ArrayList<>();
    widths.add(inputs);
    widths.addAll(config.hidden());
    widths.add(classes);
    long parameters = 0;
    double multiplyAdds = 0;
    long perBatchRow = 0;
    int widest = 0;
    for (int i = 0; i + 1 < widths.size(); i++) {
      long in = widths.get(i);
      long out = widths.get(i + 1);
      parameters += in * out + out;
      multiplyAdds += (double) in * out;
      perBatchRow += 3 * out + in;
      widest = (int) Math.max(widest, Math.max(in, out));
    }
    double firstLayer = (double) inputs * widths.get(1);
    int batch = Math.min(config.batchSize(), Math.max(1, trainExamples));
    long training = 2L * batch * perBatchRow;
    long inference = 3L * Model.INFERENCE_BATCH * widest;
    return new RunCost(
        parameters,
        FLOAT * parameters,
        FLOAT * parameters,
        FLOAT * parameters * optimizerSlots(config.optimizer()),
        FLOAT * (training + inference),
        6 * multiplyAdds - 2 * firstLayer,
        2 * multiplyAdds,
        trainExamples,
        devExamples,
        testExamples,
        config.epochs(),
        config.batchSize());
  }

  /** Tensors of state per parameter tensor that an optimizer keeps, by its canonical name. */
  static int optimizerSlots(String optimizer) {
    return switch (optimizer) {
      case "sgd" -> 0;
      case "adam", "nadam" -> 2;
      default -> 1; // momentum, nesterov, adagrad, rmsprop
    };
  }

  /** Everything the model takes on the heap while it trains. */
  public long heapBytes() {
    return parameterBytes + gradientBytes + optimizerBytes + activationBytes;
  }

  /** Steps of one epoch (the last one partial when the batch does not divide the examples). */
  public long stepsPerEpoch() {
    return (trainExamples + (long) batchSize - 1) / batchSize;
  }

  /** Steps of the whole run. */
  public long steps() {
    return stepsPerEpoch() * epochs;
  }

  /** Operations of one epoch: its training steps and the dev evaluation after it. */
  public double flopsPerEpoch() {
    return trainingFlopsPerExample * trainExamples + forwardFlopsPerExample * devExamples;
  }

  /** Operations of the whole run, the final evaluation of the three splits included. */
  public double totalFlops() {
    return epochs * flopsPerEpoch()
        + forwardFlopsPerExample * ((double) trainExamples + devExamples + testExamples);
  }

  /** Operations of one full training step. */
  public double flopsPerStep() {
    return trainingFlopsPerExample * Math.min(batchSize, trainExamples);
  }
}
