package dev.dnn.train;

import dev.dnn.nn.Model;
import dev.dnn.optim.Optimizer;

/**
 * What a {@link TrainingListener} sees of the run it listens to: the model, the optimizer and the
 * epoch count, and a way to end the run after the current epoch ({@link #stop()}), as early
 * stopping does.
 *
 * <p>Not thread-safe: it belongs to the training thread, which calls the listeners.
 */
public final class TrainingContext {
  private final Model model;
  private final Optimizer optimizer;
  private final int epochs;
  private boolean stopRequested;

  TrainingContext(Model model, Optimizer optimizer, int epochs) {
    this.model = model;
    this.optimizer = optimizer;
    this.epochs = epochs;
  }

  /** The model being trained. */
  public Model model() {
    return model;
  }

  /** The optimizer that steps it. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The number of epochs the run is built for (it may stop before). */
  public int epochs() {
    return epochs;
  }

  /**
   * Ends the run once the listeners of the current epoch have run; no further epoch starts. Called
   * during the last epoch, it changes nothing.
   */
  public void stop() {
    stopRequested = true;
  }

  /** Whether a listener has asked the run to stop. */
  public boolean stopRequested() {
    return stopRequested;
  }
}
