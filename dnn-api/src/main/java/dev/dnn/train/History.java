package dev.dnn.train;

import java.util.List;

/**
 * The record of a training run: one {@link EpochStats} per epoch run, and how the run ended.
 *
 * <p>Immutable (the list is copied) and safe to share between threads.
 *
 * @param epochs the statistics of every epoch run, in order
 * @param bestEpoch the epoch whose weights the model holds at the end (the best by the
 *     early-stopping metric when best weights were restored, else the last)
 * @param stoppedEarly whether early stopping ended the run before the configured epoch count
 */
public record History(List<EpochStats> epochs, int bestEpoch, boolean stoppedEarly) {

  /** Copies the list. */
  public History {
    epochs = List.copyOf(epochs);
  }

  /** The last epoch run. */
  public EpochStats last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch was run");
    }
    return epochs.get(epochs.size() - 1);
  }
}
