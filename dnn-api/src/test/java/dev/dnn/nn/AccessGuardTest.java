package dev.dnn.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Training and inference on one model never overlap: the one that comes second is refused. */
class AccessGuardTest {
  private static void onOtherThread(Runnable r) throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      other.submit(r).get(30, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void trainingIsRefusedWhileAnInferenceRunsOnAnotherThread() throws Exception {
    AccessGuard guard = new AccessGuard();
    onOtherThread(guard::startInference); // admitted, not yet ended
    IllegalStateException e = assertThrows(IllegalStateException.class, guard::startTraining);
    assertTrue(e.getMessage().contains("serving 1 prediction"), e.getMessage());
    onOtherThread(guard::endInference);
    assertDoesNotThrow(guard::startTraining);
    guard.endTraining();
  }

  @Test
  void inferenceIsRefusedWhileAnotherThreadTrainsButNotOnTheTrainingThread() throws Exception {
    AccessGuard guard = new AccessGuard();
    guard.startTraining();
    guard.startTraining(); // nested, as fit's steps inside fit
    guard.startInference(); // the trainer's own dev evaluation
    guard.endInference();
    Exception[] seen = new Exception[1];
    onOtherThread(
        () -> {
          try {
            guard.startInference();
          } catch (IllegalStateException e) {
            seen[0] = e;
          }
        });
    assertTrue(seen[0] != null && seen[0].getMessage().contains("being trained"));
    guard.endTraining();
    // Still held by the outer lease: refused.
    assertThrows(
        java.util.concurrent.ExecutionException.class, () -> onOtherThread(guard::startInference));
    guard.endTraining();
    onOtherThread(
        () -> {
          guard.startInference();
          guard.endInference();
        });
  }

  @Test
  void aSecondTrainingThreadIsRefused() throws Exception {
    AccessGuard guard = new AccessGuard();
    guard.startTraining();
    Exception[] seen = new Exception[1];
    onOtherThread(
        () -> {
          try {
            guard.startTraining();
          } catch (IllegalStateException e) {
            seen[0] = e;
          }
        });
    assertTrue(seen[0] != null && seen[0].getMessage().contains("one thread trains"));
    guard.endTraining();
    onOtherThread(
        () -> {
          guard.startInference();
          guard.endInference();
        });
  }
}
