package dev.dnn.cli.run;

import dev.dnn.backend.ActivationKind;
import dev.dnn.backend.Backend;
import dev.dnn.data.DataSet;
import dev.dnn.loss.Loss;
import dev.dnn.nn.Activation;
import dev.dnn.nn.Dense;
import dev.dnn.nn.LayerSpec;
import dev.dnn.nn.Model;
import dev.dnn.nn.ModelSpec;
import dev.dnn.optim.Adam;
import dev.dnn.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Does transfer learning pay on a small budget? For each seed a network is pretrained on the source
 * classes; then, for each budget of target examples per class, two networks of the same
 * architecture get the same two training phases on the same batches:
 *
 * <ul>
 *   <li><b>scratch</b>: freshly initialized; phase 1 trains every layer at the head learning rate,
 *       phase 2 at the fine-tuning rate;
 *   <li><b>transfer</b>: the pretrained body's first {@code keptLayers} hidden layers with a fresh
 *       head; phase 1 trains the head with those layers frozen, phase 2 unfreezes them and
 *       fine-tunes everything at the fine-tuning rate.
 * </ul>
 *
 * Both are scored on held-out target examples that neither saw. Nothing is tuned on the held-out
 * set: the learning rates are fixed in the {@link Config}. Scratch is initialized from the same
 * seed as the pretrained network, so its hidden layers start from the very weights pretraining
 * started from: the comparison isolates what pretraining changed.
 *
 * <p>Has no mutable state: its methods may be called from any thread.
 */
public final class TransferStudy {
  private TransferStudy() {}

  /**
   * What to compare.
   *
   * @param sourceClasses the classes pretrained on
   * @param targetClasses the classes transferred to (disjoint from the source classes)
   * @param hidden hidden-layer widths of both the pretrained and the target networks
   * @param activation the hidden activation (with its suited initialization)
   * @param keptLayers how many pretrained hidden layers the transferred network keeps (1..hidden)
   * @param pretrainEpochs epochs of pretraining on every source example
   * @param perClass the budgets: target training examples per class
   * @param seeds how many seeds (independent pretrainings, samples and initializations)
   * @param firstSeed the first seed; the others follow it
   * @param epochs epochs of each of the two target phases
   * @param headLearningRate Adam's rate in phase 1
   * @param fineLearningRate Adam's rate in phase 2
   * @param batchSize examples per step on the target (capped at the budget)
   * @param heldOut at most this many held-out target examples to score on
   */
  public record Config(
      int[] sourceClasses,
      int[] targetClasses,
      int[] hidden,
      ActivationKind activation,
      int keptLayers,
      int pretrainEpochs,
      int[] perClass,
      int seeds,
      long firstSeed,
      int epochs,
      double headLearningRate,
      double fineLearningRate,
      int batchSize,
      int heldOut) {
    /** Checks every value and names the one out of range. */
    public Config {
      sourceClasses = sourceClasses.clone();
      targetClasses = targetClasses.clone();
      hidden = hidden.clone();
      perClass = perClass.clone();
      if (sourceClasses.length < 2 || targetClasses.length < 2) {
        throw new IllegalArgumentException("source and target need at least two classes each");
      }
      distinct("source", sourceClasses);
      distinct("target", targetClasses);
      for (int s : sourceClasses) {
        for (int t : targetClasses) {
          if (s == t) {
            throw new IllegalArgumentException(
                "class " + s + " is both a source and a target class: they must be disjoint");
          }
        }
      }
      if (hidden.length == 0 || IntStream.of(hidden).anyMatch(w -> w < 1)) {
        throw new IllegalArgumentException("hidden widths must be at least 1 and not empty");
      }
      if (keptLayers < 1 || keptLayers > hidden.length) {
        throw new IllegalArgumentException(
            "the kept hidden layers must be 1-"
                + hidden.length
                + " (the network has "
                + hidden.length
                + " hidden layer(s)), got "
                + keptLayers);
      }
      if (perClass.length == 0 || IntStream.of(perClass).anyMatch(n -> n < 1)) {
        throw new IllegalArgumentException("every budget must be at least 1 example per class");
      }
      positive("seeds", seeds);
      positive("pretraining epochs", pretrainEpochs);
      positive("epochs", epochs);
      positive("batch size", batchSize);
      positive("held-out examples", heldOut);
      rate("head (phase 1)", headLearningRate);
      rate("fine-tuning (phase 2)", fineLearningRate);
    }

    private static void distinct(String which, int[] classes) {
      if (IntStream.of(classes).distinct().count() != classes.length) {
        throw new IllegalArgumentException(
            "the " + which + " classes name a class twice: " + Arrays.toString(classes));
      }
    }

    private static void rate(String which, double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(
            "the " + which + " learning rate must be finite and positive, got " + value);
      }
    }

    private static void positive(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, got " + value);
      }
    }

    @Override
    public int[] sourceClasses() {
      return sourceClasses.clone();
    }

    @Override
    public int[] targetClasses() {
      return targetClasses.clone();
    }

    @Override
    public int[] hidden() {
      return hidden.clone();
    }

    @Override
    public int[] perClass() {
      return perClass.clone();
    }
  }

  /**
   * Where the examples come from. Target training examples are drawn from {@code pool}; held-out
   * examples from {@code heldOutPool} when it is a separate set (the official test images), else
   * from the target examples of {@code pool} that were not drawn.
   *
   * @param pool labelled images with every source and target class
   * @param heldOutPool a disjoint set to score on, or null to hold out part of the pool
   * @param description where the data came from, for the report
   */
  public record Data(DataSet pool, DataSet heldOutPool, String description) {}

  /**
   * One seed's result at one budget: held-out accuracies.
   *
   * @param perClass target training examples per class
   * @param seed the seed
   * @param scratch the network trained from scratch
   * @param headOnly the transferred network after phase 1 (frozen body, trained head)
   * @param transferred the transferred network after phase 2 (fine-tuned)
   */
  public record Outcome(
      int perClass, long seed, double scratch, double headOnly, double transferred) {
    /** How far the fine-tuned transfer is ahead of scratch (negative: behind). */
    public double advantage() {
      return transferred - scratch;
    }
  }

  /** Runs every seed and budget, handing each outcome to {@code progress} as it is measured. */
  public static List<Outcome> run(
      Config config, Backend backend, Data data, Consumer<Outcome> progress) {
    int width = data.pool().featureCount();
    DataSet sourceAll = data.pool().ofClasses(config.sourceClasses());
    DataSet targetAll = data.pool().ofClasses(config.targetClasses());
    DataSet heldOutAll =
        data.heldOutPool() == null ? null : data.heldOutPool().ofClasses(config.targetClasses());
    List<Outcome> outcomes = new ArrayList<>();
    for (int s = 0; s < config.seeds(); s++) {
      long seed = config.firstSeed() + s;
      try (Model pretrained =
              Model.fromSpec(network(config, width, config.sourceClasses().length), backend, seed);
          Adam adam = Adam.learningRate(1e-3)) {
        trainer(adam, config.pretrainEpochs(), 64, seed).fit(pretrained, sourceAll.shuffle(seed));
        DataSet target = targetAll.shuffle(seed + 1);
        for (int perClass : config.perClass()) {
          Budget budget = Budget.draw(target, perClass, config.targetClasses());
          DataSet heldOut =
              firstExamples(
                  heldOutAll == null ? budget.rest() : heldOutAll.shuffle(seed + 2),
                  config.heldOut());
          Outcome outcome = compare(config, pretrained, budget.train(), heldOut, seed, perClass);
          outcomes.add(outcome);
          progress.accept(outcome);
        }
      }
    }
    return outcomes;
  }

  private static Outcome compare(
      Config config, Model pretrained, DataSet train, DataSet heldOut, long seed, int perClass) {
    Backend backend = pretrained.backend();
    int classes = config.targetClasses().length;
    int kept = 2 * config.keptLayers(); // each hidden layer is a Dense and its activation
    int batch = Math.min(config.batchSize(), train.size());
    double scratchAccuracy;
    try (Model scratch =
            Model.fromSpec(network(config, train.featureCount(), classes), backend, seed);
        Adam first = Adam.learningRate(config.headLearningRate());
        Adam second = Adam.learningRate(config.fineLearningRate())) {
      trainer(first, config.epochs(), batch, seed).fit(scratch, train);
      trainer(second, config.epochs(), batch, seed).fit(scratch, train);
      scratchAccuracy = scratch.evaluate(heldOut).accuracy();
    }
    LayerSpec[] head = layers(config, config.keptLayers(), classes).toArray(LayerSpec[]::new);
    try (Model transfer = pretrained.replaceHead(kept, seed, head);
        Adam first = Adam.learningRate(config.headLearningRate());
        Adam second = Adam.learningRate(config.fineLearningRate())) {
      transfer.freeze(kept);
      trainer(first, config.epochs(), batch, seed).fit(transfer, train);
      double headOnly = transfer.evaluate(heldOut).accuracy();
      transfer.unfreeze();
      trainer(second, config.epochs(), batch, seed).fit(transfer, train);
      return new Outcome(
          perClass, seed, scratchAccuracy, headOnly, transfer.evaluate(heldOut).accuracy());
    }
  }

  /** The whole network: every hidden layer, then a linear output of {@code classes}. */
  static ModelSpec network(Config config, int inputs, int classes) {
    List<LayerSpec> all = new ArrayList<>();
    int in = inputs;
    for (int width : config.hidden()) {
      all.add(Dense.of(in, width).init(Activation.suitedInit(config.activation())));
      all.add(Activation.of(config.activation()));
      in = width;
    }
    all.add(Dense.of(in, classes));
    return Model.sequential(inputs, all.toArray(LayerSpec[]::new));
  }

  /** The layers above the first {@code from} hidden layers: the rest of the body and the output. */
  private static List<LayerSpec> layers(Config config, int from, int classes) {
    int[] hidden = config.hidden();
    List<LayerSpec> head = new ArrayList<>();
    int in = hidden[from - 1];
    Activation activation = Activation.of(config.activation());
    for (int i = from; i < hidden.length; i++) {
      head.add(Dense.of(in, hidden[i]).init(Activation.suitedInit(config.activation())));
      head.add(activation);
      in = hidden[i];
    }
    head.add(Dense.of(in, classes));
    return head;
  }

  private static Trainer trainer(Adam optimizer, int epochs, int batch, long seed) {
    return Trainer.builder()
        .loss(Loss.SOFTMAX_CROSS_ENTROPY)
        .optimizer(optimizer)
        .batchSize(batch)
        .epochs(epochs)
        .seed(seed)
        .build();
  }

  private static DataSet firstExamples(DataSet data, int max) {
    return data.size() <= max ? data : data.select(IntStream.range(0, max).toArray());
  }

  /**
   * The first {@code perClass} examples of each class (in the data's order), and the rest; {@code
   * classes} are the original class numbers of the labels, for messages.
   */
  record Budget(DataSet train, DataSet rest) {
    static Budget draw(DataSet data, int perClass, int[] classes) {
      int[] taken = new int[classes.length];
      List<Integer> train = new ArrayList<>();
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        int label = data.label(i);
        if (taken[label] < perClass) {
          taken[label]++;
          train.add(i);
        } else {
          rest.add(i);
        }
      }
      for (int c = 0; c < classes.length; c++) {
        if (taken[c] < perClass) {
          throw new IllegalArgumentException(
              "target class "
                  + classes[c]
                  + " has only "
                  + taken[c]
                  + " examples, fewer than the budget of "
                  + perClass
                  + " per class");
        }
      }
      return new Budget(
          data.select(train.stream().mapToInt(Integer::intValue).toArray()),
          data.select(rest.stream().mapToInt(Integer::intValue).toArray()));
    }
  }
}
