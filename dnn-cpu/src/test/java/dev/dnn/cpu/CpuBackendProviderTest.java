package dev.dnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnn.backend.Backend;
import dev.dnn.backend.BackendProvider;
import dev.dnn.backend.Backends;
import org.junit.jupiter.api.Test;

/** The service registration of the CPU backend. */
class CpuBackendProviderTest {
  @Test
  void isFoundByTheServiceLoaderAndAlwaysUsable() {
    BackendProvider provider = Backends.provider("cpu");
    assertTrue(provider instanceof CpuBackendProvider);
    assertEquals(10, provider.priority());
    assertTrue(provider.availability().usable());
    assertTrue(provider.availability().reason().startsWith("pure Java, "));
    try (Backend backend = provider.create()) {
      assertEquals("cpu", backend.name());
    }
  }
}
