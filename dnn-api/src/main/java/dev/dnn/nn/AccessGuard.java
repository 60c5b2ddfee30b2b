package dev.dnn.nn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps training and inference on one model apart: any number of threads may run inference at once,
 * one thread may train (and run inference itself, for its dev evaluations), and the two never
 * overlap. Neither side waits: the one that would overlap the other is refused at once.
 *
 * <p>Both sides announce themselves before they check the other (an atomic increment, an atomic
 * set), so of an inference and a training that start together at least one sees the other: an
 * overlap is never missed, at worst both are refused.
 */
final class AccessGuard {
  private final AtomicInteger inferences = new AtomicInteger();
  private final AtomicReference<Thread> trainer = new AtomicReference<>();
  private int depth; // touched by the training thread only

  /**
   * Marks the calling thread as training; nested calls from it are counted.
   *
   * @throws IllegalStateException if another thread trains the model or inferences are running
   */
  void startTraining() {
    Thread me = Thread.currentThread();
    if (trainer.get() == me) {
      depth++;
      return;
    }
    if (!trainer.compareAndSet(null, me)) {
      Thread other = trainer.get();
      throw new IllegalStateException(
          "the model is being trained by thread '"
              + (other == null ? "?" : other.getName())
              + "'; one thread trains a model at a time");
    }
    int running = inferences.get();
    if (running > 0) {
      trainer.set(null);
      throw new IllegalStateException(
          "the model is serving "
              + running
              + " prediction(s) on other threads; training it now would change the weights they"
              + " read. Train a copy, or wait until the predictions end");
    }
    depth = 1;
  }

  /** Ends one {@link #startTraining()} of the calling thread. */
  void endTraining() {
    if (trainer.get() != Thread.currentThread()) {
      throw new IllegalStateException("training ended by a thread that did not start it");
    }
    if (--depth == 0) {
      trainer.set(null);
    }
  }

  /**
   * Admits one inference call, unless another thread trains the model.
   *
   * @throws IllegalStateException naming the training thread
   */
  void startInference() {
    inferences.incrementAndGet();
    Thread t = trainer.get();
    if (t != null && t != Thread.currentThread()) {
      inferences.decrementAndGet();
      throw new IllegalStateException(
          "the model is being trained by thread '"
              + t.getName()
              + "'; predictions are refused until its training ends (they would read weights"
              + " that change under them)");
    }
  }

  /** Ends one admitted inference call. */
  void endInference() {
    inferences.decrementAndGet();
  }
}
