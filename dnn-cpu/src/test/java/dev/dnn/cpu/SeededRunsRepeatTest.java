package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector kernels built on exponentials give the same bits interpreted as compiled, so a seeded
 * run does not depend on when C2 compiles them. The Vector API's {@code lanewise(TANH)} and {@code
 * EXP} did not: interpreted they compute lane by lane with {@code Math}, compiled they call the
 * JDK's vector math library, a few ulps away. One child JVM runs {@link KernelBits} with {@code
 * -Xint}; the other with {@code -Xbatch} after enough rounds for C2 to compile the loops.
 */
class SeededRunsRepeatTest {
  private static final int COMPILED_ROUNDS = 4000;

  @TempDir Path scratch;

  @Test
  void theVectorKernelsGiveTheSameBitsInterpretedAndCompiled() throws Exception {
    assumeTrue(KernelPath.found().vector() != null, "the Vector API is not usable in this JVM");
    List<String> interpreted = run("interpreted", "-Xint", 1);
    List<String> compiled = run("compiled", "-Xbatch", COMPILED_ROUNDS);
    assertEquals(interpreted.size(), compiled.size(), "kernels reported");
    for (int k = 0; k < interpreted.size(); k++) {
      String[] expected = interpreted.get(k).split(" ");
      String[] actual = compiled.get(k).split(" ");
      assertEquals(expected[0], actual[0], "kernel order");
      for (int i = 1; i < expected.length; i++) {
        String kernel = interpreted.get(k).substring(0, interpreted.get(k).indexOf(':'));
        assertEquals(expected[i], actual[i], kernel + ": bits of element " + (i - 1));
      }
    }
  }

  private List<String> run(String name, String mode, int rounds)
      throws IOException, InterruptedException {
    List<String> lines =
        ChildJvm.run(scratch, name, List.of(mode), KernelBits.class, Integer.toString(rounds));
    assertTrue(lines.size() > 1, name + " child JVM printed no kernels");
    return lines;
  }
}
