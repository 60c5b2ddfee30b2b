package dev.dnn.train;

import dev.dnn.nn.Model;
import dev.dnn.optim.Optimizer;
import java.lang.ref.WeakReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which model a trainer's optimizer state belongs to, so that fitting another model
 * starts from fresh state: Adam's moments and step count from one model would otherwise bias the
 * first steps of the next. The model is held weakly, so a trainer does not keep a finished model
 * alive.
 */
final class OptimizerOwner {
  private static final Logger LOG = LoggerFactory.getLogger(OptimizerOwner.class);

  private final Optimizer optimizer;
  private final double initialLearningRate;
  private WeakReference<Model> owner = new WeakReference<>(null);

  OptimizerOwner(Optimizer optimizer) {
    this.optimizer = optimizer;
    this.initialLearningRate = optimizer.learningRate();
  }

  /**
   * Before a run on {@code model}: a fit on a model other than the last one resets the optimizer's
   * state, step count and learning rate (as built); a resumed run keeps what the checkpoint
   * restored.
   */
  synchronized void claim(Model model, boolean resuming) {
    boolean hasState = optimizer.stepCount() > 0 || !optimizer.state().isEmpty();
    if (!resuming && hasState && owner.get() != model) {
      LOG.info(
          "fitting a new model: {} state from {} earlier steps reset",
          optimizer.getClass().getSimpleName(),
          optimizer.stepCount());
      optimizer.reset();
      optimizer.setLearningRate(initialLearningRate);
    }
    owner = new WeakReference<>(model);
  }
}
