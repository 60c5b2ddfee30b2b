package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prediction's kernels allocate nothing once compiled, on the calling thread or the workers
 * ({@link AllocationRounds} has the calls): a serving loop that allocated per call would collect
 * garbage in the middle of requests.
 */
class AllocationFreeProductsTest {
  @TempDir Path scratch;

  @Test
  void thePlainKernelsAllocateNothing() {
    assertEquals(0, AllocationRounds.lastRound("plain"), "bytes allocated by the last round");
  }

  /**
   * In a JVM of its own, as a server's: after this JVM's other tests, C2 may have given up on a
   * tile (recompiled too often on their many shapes), and its interpreted vectors allocate.
   *
   * <p>Only where the vector kernels are the default ({@link KernelPath#DEFAULT_FROM} and later):
   * before it C2 sometimes compiles a vector kernel with its vectors boxed, which is why the plain
   * kernels run there unless asked (one such child JVM on JDK 17 still allocated 149 kB a round
   * after a minute).
   */
  @Test
  void theVectorKernelsAllocateNothingOnceCompiled() throws Exception {
    assumeTrue(
        Runtime.version().feature() >= KernelPath.DEFAULT_FROM,
        "the vector kernels are not the default before Java " + KernelPath.DEFAULT_FROM);
    assumeTrue(KernelPath.found().vector() != null, "the Vector API is not usable in this JVM");
    List<String> lines =
        ChildJvm.run(scratch, "vector", List.of(), AllocationRounds.class, "vector");
    assertEquals(
        "0", lines.get(lines.size() - 1), "bytes allocated by the last round, in the child JVM");
  }
}
