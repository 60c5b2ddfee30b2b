package dev.dnn.spark;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Idle instances (a training worker's model on its backend) kept by key in an executor JVM, so that
 * tasks of later rounds or partitions reuse them instead of rebuilding. A task borrows one instance
 * for itself alone and gives it back (scoring, whose model serves concurrent tasks, shares one
 * instance instead: {@link SharedInstances}); instances of the least recently used keys beyond
 * {@code maxKeys} are closed. Safe for concurrent tasks.
 */
final class InstancePool<T extends AutoCloseable> {
  private static final class Entry<T> {
    final ArrayDeque<T> idle = new ArrayDeque<>();
    boolean evicted;
  }

  private final int maxKeys;
  private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>(16, 0.75f, true);

  InstancePool(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  /** An idle instance of {@code key}, or a new one from {@code create}; give it back after use. */
  T borrow(String key, Supplier<T> create) {
    synchronized (this) {
      Entry<T> entry = entries.computeIfAbsent(key, k -> new Entry<>());
      T instance = entry.idle.poll();
      evictBeyondLimit();
      if (instance != null) {
        return instance;
      }
    }
    return create.get();
  }

  /** Returns {@code instance} of {@code key}; closes it if its key has been evicted meanwhile. */
  void giveBack(String key, T instance) {
    synchronized (this) {
      Entry<T> entry = entries.get(key);
      if (entry != null && !entry.evicted) {
        entry.idle.push(instance);
        return;
      }
    }
    close(instance);
  }

  /** Closes an instance that failed mid-use instead of giving it back. */
  void discard(T instance) {
    close(instance);
  }

  private void evictBeyondLimit() {
    Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator();
    while (entries.size() > maxKeys && it.hasNext()) {
      Entry<T> eldest = it.next().getValue();
      eldest.evicted = true;
      eldest.idle.forEach(InstancePool::close);
      eldest.idle.clear();
      it.remove();
    }
  }

  private static void close(AutoCloseable instance) {
    try {
      instance.close();
    } catch (Exception e) {
      // Closing frees memory only; a failure here must not fail the task that used it.
    }
  }
}
