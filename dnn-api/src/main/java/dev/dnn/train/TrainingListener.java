package dev.dnn.train;

import dev.dnn.nn.Model;

/**
 * Hooks into a training run; all methods default to doing nothing. Called on the training thread,
 * in the order the listeners were added. A listener may change the optimizer's learning rate
 * between epochs, and end the run through {@link TrainingContext#stop()}.
 *
 * <p>A listener given to several runs that train at once on different threads must itself be
 * thread-safe; {@code CheckpointListener}, which saves its optimizer's state, serves one run at a
 * time.
 */
public interface TrainingListener {
  /** Before the first batch of {@code epoch}. */
  default void onEpochStart(Model model, int epoch) {}

  /** After each training batch, with the batch's mean loss. */
  default void onBatchEnd(Model model, int epoch, int batch, long step, double loss) {}

  /** After {@code epoch} and its dev evaluation. */
  default void onEpochEnd(Model model, EpochStats stats) {}

  /**
   * After {@code epoch} and its dev evaluation, with the run's context; calls {@link
   * #onEpochEnd(Model, EpochStats)} unless overridden.
   */
  default void onEpochEnd(TrainingContext context, EpochStats stats) {
    onEpochEnd(context.model(), stats);
  }

  /** After the last epoch the run completes, whether it ran them all or was stopped. */
  default void onTrainEnd(TrainingContext context) {}
}
