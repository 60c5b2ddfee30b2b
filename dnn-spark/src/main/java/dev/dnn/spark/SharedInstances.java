package dev.dnn.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One instance per key in an executor JVM (a loaded model on its backend), shared by every task
 * that uses it, at the same time too: for instances that are safe to use from several threads at
 * once, such as a dnn model predicting. The first user of a key creates its instance (others of
 * that key wait for it; other keys do not); the least recently used keys beyond {@code maxKeys} are
 * evicted, and an evicted instance is closed as soon as no task uses it. Safe for concurrent tasks.
 */
final class SharedInstances<T extends AutoCloseable> {
  private static final class Entry<T> {
    private T instance;
    private int users;
    private boolean evicted;

    /** The instance, created by the first caller; a failed creation is retried by the next. */
    synchronized T get(Supplier<T> create, Runnable created) {
      if (instance == null) {
        instance = create.get();
        created.run();
      }
      return instance;
    }

    synchronized T take() {
      T out = instance;
      instance = null;
      return out;
    }
  }

  private final int maxKeys;
  private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long created;

  SharedInstances(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1, not " + maxKeys);
    }
    this.maxKeys = maxKeys;
  }

  /**
   * Runs {@code use} on the instance of {@code key}, made by {@code create} if there is none; other
   * threads may use the same instance meanwhile.
   */
  <R> R with(String key, Supplier<T> create, Function<T, R> use) {
    Entry<T> entry = acquire(key);
    try {
      return use.apply(entry.get(create, this::countCreated));
    } finally {
      release(entry);
    }
  }

  /** Instances created so far (each a model file read and loaded, for scoring). */
  synchronized long created() {
    return created;
  }

  /** Keys held now. */
  synchronized int size() {
    return entries.size();
  }

  private synchronized void countCreated() {
    created++;
  }

  private Entry<T> acquire(String key) {
    Entry<T> entry;
    List<Entry<T>> evicted;
    synchronized (this) {
      entry = entries.computeIfAbsent(key, k -> new Entry<>());
      entry.users++;
      evicted = evictBeyondLimit();
    }
    for (Entry<T> e : evicted) {
      close(e.take());
    }
    return entry;
  }

  private void release(Entry<T> entry) {
    boolean close;
    synchronized (this) {
      entry.users--;
      close = entry.evicted && entry.users == 0;
    }
    if (close) {
      close(entry.take());
    }
  }

  /** Removes the eldest keys beyond the limit; returns those that no task uses, to be closed. */
  private List<Entry<T>> evictBeyondLimit() {
    List<Entry<T>> idle = new ArrayList<>();
    Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator();
    while (entries.size() > maxKeys && it.hasNext()) {
      Entry<T> eldest = it.next().getValue();
      eldest.evicted = true;
      if (eldest.users == 0) {
        idle.add(eldest);
      }
      it.remove();
    }
    return idle;
  }

  private static void close(AutoCloseable instance) {
    if (instance == null) {
      return;
    }
    try {
      instance.close();
    } catch (Exception e) {
      // Closing frees memory only; a failure here must not fail the task that used it.
    }
  }
}
