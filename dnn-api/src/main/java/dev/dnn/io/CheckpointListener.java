package dev.dnn.io;

import dev.dnn.data.ScalerParams;
import dev.dnn.nn.Model;
import dev.dnn.optim.Optimizer;
import dev.dnn.train.EpochStats;
import dev.dnn.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Saves a training checkpoint ({@link ModelFile#saveCheckpoint}) after every {@code n}-th epoch,
 * replacing the previous one atomically, so that a long run interrupted at any moment can be
 * resumed from its last completed checkpoint.
 *
 * <pre>{@code
 * Adam adam = Adam.learningRate(1e-3);
 * Trainer trainer = Trainer.builder().optimizer(adam).seed(seed)
 *     .listener(new CheckpointListener(Path.of("run.ckpt.safetensors"), adam, seed, 1, null))
 *     .build();
 * }</pre>
 *
 * <p>To continue after an interruption, restore the checkpoint into a fresh optimizer of the same
 * kind and let a trainer with the same seed and the full epoch count resume it:
 *
 * <pre>{@code
 * Adam adam = Adam.learningRate(1e-3);
 * try (ModelFile.Restored restored = ModelFile.loadCheckpoint(path, backend, adam)) {
 *   Trainer.builder().optimizer(adam).seed(seed).epochs(total)...build()
 *       .resume(restored.checkpoint(), restored.model(), train, dev);
 * }
 * }</pre>
 *
 * <p>Holds only its settings, but saves the state of its optimizer: use it in one run at a time;
 * the trainer calls it on the training thread.
 */
public final class CheckpointListener implements TrainingListener {
  private final Path path;
  private final Optimizer optimizer;
  private final long seed;
  private final int everyEpochs;
  private final ScalerParams preprocessing;

  /**
   * @param path the checkpoint file, replaced on each save
   * @param optimizer the optimizer the trainer uses (its state is saved)
   * @param seed the trainer's seed, recorded in the checkpoint
   * @param everyEpochs save after every this many completed epochs, at least 1
   * @param preprocessing the input scaling to record, or null
   */
  public CheckpointListener(
      Path path, Optimizer optimizer, long seed, int everyEpochs, ScalerParams preprocessing) {
    if (everyEpochs < 1) {
      throw new IllegalArgumentException("everyEpochs must be at least 1, got " + everyEpochs);
    }
    this.path = Objects.requireNonNull(path, "path");
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.seed = seed;
    this.everyEpochs = everyEpochs;
    this.preprocessing = preprocessing;
  }

  /**
   * Saves when the number of completed epochs is a multiple of {@code everyEpochs}.
   *
   * @throws UncheckedIOException if the checkpoint cannot be written (the previous one is kept)
   */
  @Override
  public void onEpochEnd(Model model, EpochStats stats) {
    int completed = stats.epoch() + 1;
    if (completed % everyEpochs != 0) {
      return;
    }
    try {
      ModelFile.saveCheckpoint(path, model, optimizer, completed, seed, preprocessing);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + path, e);
    }
  }
}
