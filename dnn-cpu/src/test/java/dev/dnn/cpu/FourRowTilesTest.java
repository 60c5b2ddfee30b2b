package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which processors get the four-row tile: the rule, case by case. */
class FourRowTilesTest {
  @ParameterizedTest(name = "{0}, {1}-bit vectors: four rows {2}")
  @CsvSource({
    "amd64, 512, false",
    "x86_64, 512, false",
    "amd64, 256, true",
    "x86_64, 256, true",
    "amd64, 128, true",
    "x86, 128, true",
    "aarch64, 128, false",
    "aarch64, 512, false",
    "riscv64, 256, false"
  })
  void x86BelowAvx512GetsFourRows(String arch, int bits, boolean fourRows) {
    assertEquals(fourRows, VectorTiles.fourRowTiles(arch, bits));
  }
}
