package dev.dnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedInstancesTest {
  private static final class Thing implements AutoCloseable {
    volatile boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void concurrentUsersOfAKeyShareOneInstanceCreatedOnce() throws Exception {
    SharedInstances<Thing> pool = new SharedInstances<>(2);
    AtomicInteger creations = new AtomicInteger();
    int threads = 4;
    CountDownLatch inside = new CountDownLatch(threads);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Thing>> seen = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        seen.add(
            executor.submit(
                () ->
                    pool.with(
                        "a",
                        () -> {
                          creations.incrementAndGet();
                          return new Thing();
                        },
                        t -> {
                          // Every thread holds the instance at the same time before any lets go.
                          inside.countDown();
                          try {
                            assertTrue(inside.await(20, TimeUnit.SECONDS));
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return t;
                        })));
      }
      Thing first = seen.get(0).get(30, TimeUnit.SECONDS);
      for (Future<Thing> f : seen) {
        assertSame(first, f.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, creations.get());
      assertEquals(1, pool.created());
      assertFalse(first.closed);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void anEvictedInstanceClosesWhenItsLastUserLetsGo() {
    SharedInstances<Thing> pool = new SharedInstances<>(1);
    Thing a = pool.with("a", Thing::new, t -> t);
    Thing[] inUse = new Thing[2];
    pool.with(
        "b",
        Thing::new,
        b -> {
          inUse[0] = b;
          // "c" evicts "b" while this call still uses it: b stays open until the call returns.
          inUse[1] = pool.with("c", Thing::new, c -> c);
          assertFalse(b.closed);
          return b;
        });
    assertTrue(a.closed, "a was evicted by b while idle");
    assertTrue(inUse[0].closed, "b closes when its user is done");
    assertFalse(inUse[1].closed, "c is the one key kept");
    assertEquals(1, pool.size());
    assertSame(inUse[1], pool.with("c", Thing::new, c -> c));
    assertEquals(3, pool.created());
  }

  @Test
  void aFailedCreationFailsItsCallerAndTheNextCallTriesAgain() {
    SharedInstances<Thing> pool = new SharedInstances<>(2);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            pool.with(
                "a",
                () -> {
                  throw new IllegalArgumentException("bad model file");
                },
                t -> t));
    assertEquals(0, pool.created());
    Thing a = pool.with("a", Thing::new, t -> t);
    assertFalse(a.closed);
    assertEquals(1, pool.created());
    assertThrows(IllegalArgumentException.class, () -> new SharedInstances<Thing>(0));
  }
}
