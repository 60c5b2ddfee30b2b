package dev.dnn.cli;

import dev.dnn.cli.run.RunCost;
import dev.dnn.data.MemoryBudget;

/**
 * Refuses a run whose model will not fit the heap before any of it is allocated, in one sentence
 * that says what it needs, what the JVM has and the {@code -Xmx} to give, instead of an
 * OutOfMemoryError minutes into the run. Stateless.
 */
final class HeapCheck {
  private static final long GIB = 1L << 30;

  private HeapCheck() {}

  /**
   * Throws unless {@code cost}'s heap fits in what is left of {@code maxMemory} after {@code
   * usedMemory}.
   *
   * @param label what would run, such as {@code Deep-tanh on cpu}
   * @param command the dnn command, for the suggested command line
   * @throws IllegalArgumentException saying what is needed and the -Xmx to give
   */
  static void require(String label, RunCost cost, long maxMemory, long usedMemory, String command) {
    long available = maxMemory - usedMemory;
    if (cost.heapBytes() <= available) {
      return;
    }
    long xmx = suggestedGigabytes(cost.heapBytes(), usedMemory);
    throw new IllegalArgumentException(
        label
            + " needs about "
            + MemoryBudget.format(cost.heapBytes())
            + " of heap to train ("
            + String.format(java.util.Locale.ROOT, "%,d", cost.parameters())
            + " parameters "
            + MemoryBudget.format(cost.parameterBytes())
            + ", their gradients "
            + MemoryBudget.format(cost.gradientBytes())
            + ", optimizer state "
            + MemoryBudget.format(cost.optimizerBytes())
            + ", batch and evaluation buffers "
            + MemoryBudget.format(cost.activationBytes())
            + "), more than the "
            + MemoryBudget.format(Math.max(0, available))
            + " this JVM has left of its "
            + MemoryBudget.format(maxMemory)
            + " maximum (Runtime.maxMemory); give it more heap with -Xmx"
            + xmx
            + "g: DNN_JAVA_OPTS=-Xmx"
            + xmx
            + "g ./dnn "
            + command
            + " ..., or java -Xmx"
            + xmx
            + "g -jar dnn-cli/target/dnn.jar "
            + command
            + " ...");
  }

  /**
   * The heap to ask for, in whole GiB: what is in use and what the run needs, and a quarter more
   * for the collector's headroom and the backend's scratch, which the estimate leaves out.
   */
  static long suggestedGigabytes(long needed, long used) {
    double bytes = 1.25 * ((double) needed + used);
    return Math.max(1, (long) Math.ceil(bytes / GIB));
  }
}
