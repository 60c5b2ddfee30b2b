package dev.dnn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendException;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backend selection through the providers on the test class path (at least the CPU one). */
class BackendSelectionTest {
  @Test
  void providersAreSortedByPriorityAndIncludeCpu() {
    List<BackendProvider> providers = Backends.providers();
    assertTrue(
        providers.stream().anyMatch(p -> p.name().equals("cpu")),
        "the CPU provider is registered with ServiceLoader");
    for (int i = 1; i < providers.size(); i++) {
      assertTrue(providers.get(i - 1).priority() >= providers.get(i).priority());
    }
    BackendProvider cpu =
        providers.stream().filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();
    assertTrue(cpu.availability().usable(), "CPU is always usable: " + cpu.availability());
  }

  @Test
  void selectCpuByName() {
    try (Backend backend = Backends.select("cpu")) {
      assertEquals("cpu", backend.name());
      assertFalse(backend.description().isBlank());
    }
    try (Backend backend = Backends.select(" CPU ")) {
      assertEquals("cpu", backend.name(), "names are trimmed and case-insensitive");
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    BackendException e = assertThrows(BackendException.class, () -> Backends.select("tpu"));
    assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
    for (BackendProvider provider : Backends.providers()) {
      assertTrue(e.getMessage().contains(provider.name()), e.getMessage());
    }
    assertTrue(e.getMessage().contains("auto"), e.getMessage());
  }

  @Test
  void autoPicksTheHighestPriorityUsableProvider() {
    BackendProvider expected =
        Backends.providers().stream()
            .filter(p -> p.availability().usable())
            .findFirst()
            .orElseThrow();
    assertEquals(expected.name(), Backends.provider("auto").name());
    assertEquals(expected.name(), Backends.provider(null).name());
  }

  @Test
  void anUnusableNamedBackendIsAnErrorWithItsReason() {
    for (BackendProvider provider : Backends.providers()) {
      if (!provider.availability().usable()) {
        BackendException e =
            assertThrows(BackendException.class, () -> Backends.provider(provider.name()));
        assertTrue(e.getMessage().contains(provider.availability().reason()), e.getMessage());
      }
    }
  }
}
