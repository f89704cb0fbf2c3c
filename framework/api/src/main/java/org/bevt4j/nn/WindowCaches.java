package org.bevt4j.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Per-shape caches of the constant arrays of window attention: relative-position index slices and
 * shifted-window masks. The arrays are created once per key in a long-lived manager (the one the
 * model's parameters live in, supplied lazily) and detached from any open {@link
 * ai.djl.ndarray.NDScope}, so per-step scopes never free them. Thread-safe. One instance is shared
 * by all blocks of a model (upstream's {@code lru_cache} on {@code compute_mask}).
 */
public final class WindowCaches {
  private final Supplier<NDManager> manager;
  private final Map<List<Object>, NDArray> arrays = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong hits = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();

  /** @param manager gives the long-lived manager (e.g. a parameter's) when the first array is built */
  public WindowCaches(Supplier<NDManager> manager) {
    this.manager = manager;
  }

  /**
   * The flattened {@code index[:n, :n]} of the full relative position index of {@code window}
   * (int64, length n*n).
   */
  public NDArray biasIndex(int[] window, int n) {
    List<Object> key = List.of("index", Arrays.toString(window), n);
    return cached(key, () -> detached(m -> m.create(RelativePositionIndex.topLeft(window, n), new Shape((long) n * n))));
  }

  /**
   * The relative offsets along one window axis of {@code size} positions, restricted to its first
   * {@code count}, as a one-hot float32 {@code (count², 2·size − 1)} matrix: row {@code i·count + j}
   * is 1 in column {@code i − j + size − 1} and 0 elsewhere. Used by {@link
   * RelativePositionBias#factorized}.
   */
  public NDArray deltaOneHot(int size, int count) {
    if (count < 1 || count > size) {
      throw new IllegalArgumentException("deltaOneHot: count " + count + " must be in [1, " + size + "]");
    }
    List<Object> key = List.of("delta-one-hot", size, count);
    return cached(key, () -> {
      int cols = 2 * size - 1;
      float[] e = new float[count * count * cols];
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < count; j++) {
          e[(i * count + j) * cols + i - j + size - 1] = 1f;
        }
      }
      return detached(m -> m.create(e, new Shape((long) count * count, cols)));
    });
  }

  /** The shifted-window mask (nW, N, N) for a padded grid, window and shift (float32, 0 / -100). */
  public NDArray shiftMask(int[] padded, int[] window, int[] shift) {
    List<Object> key =
        List.of("mask", Arrays.toString(padded), Arrays.toString(window), Arrays.toString(shift));
    return cached(key, () -> {
      long n = WindowOps.tokens(window);
      float[] mask = ShiftWindowMask.compute(padded, window, shift);
      long nw = ShiftWindowMask.windows(padded, window);
      return detached(m -> m.create(mask, new Shape(nw, n, n)));
    });
  }

  private NDArray cached(List<Object> key, Supplier<NDArray> make) {
    NDArray a = arrays.get(key);
    if (a != null) {
      hits.incrementAndGet();
      return a;
    }
    return arrays.computeIfAbsent(key, k -> {
      misses.incrementAndGet();
      return make.get();
    });
  }

  /** Lookups answered from the cache (for tests and profiling: every step after the first should hit). */
  public long hits() {
    return hits.get();
  }

  /** Lookups that had to build their array. */
  public long misses() {
    return misses.get();
  }

  /** Number of cached arrays (for tests and memory reports). */
  public int size() {
    return arrays.size();
  }

  /** The device the cached arrays live on (the long-lived manager's). */
  public Device device() {
    return manager.get().getDevice();
  }

  private NDArray detached(java.util.function.Function<NDManager, NDArray> make) {
    NDArray a = make.apply(manager.get());
    NDManagerUtil.detachFromScope(a);
    return a;
  }
}
