package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which processors get the vector kernels without being asked: the rule, case by case. */
class KernelPathDefaultTest {
  @ParameterizedTest(name = "{0}, {1}-bit vectors: {2}")
  @CsvSource({
    "amd64, 512, true",
    "x86_64, 512, true",
    "amd64, 256, false",
    "x86_64, 256, false",
    "amd64, 128, false",
    "x86, 128, false",
    "aarch64, 128, true",
    "aarch64, 512, true",
    "riscv64, 256, true"
  })
  void x86ProcessorsNeedVectorsOf512Bits(String arch, int bits, boolean wide) {
    assertEquals(wide, KernelPath.wideEnough(arch, bits));
  }
}
