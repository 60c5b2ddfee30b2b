package dev.dnn.train;

import dev.dnn.nn.Model;

/**
 * Hooks into a training run; all methods default to doing nothing. Called on the training thread. A
 * listener may change the optimizer's learning rate between epochs.
 */
public interface TrainingListener {
  /** Before the first batch of {@code epoch}. */
  default void onEpochStart(Model model, int epoch) {}

  /** After each training batch, with the batch's mean loss. */
  default void onBatchEnd(Model model, int epoch, int batch, long step, double loss) {}

  /** After {@code epoch} and its dev evaluation. */
  default void onEpochEnd(Model model, EpochStats stats) {}
}
