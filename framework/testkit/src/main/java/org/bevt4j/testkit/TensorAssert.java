package org.bevt4j.testkit;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import org.bevt4j.io.TensorData;

/**
 * Comparison against reference tensors with the project tolerance: for float32,
 * {@code |a-b| <= atolRel*max|ref| + rtol*|ref|} elementwise (default 1e-4 and 1e-4); integer
 * tensors (token ids) must match exactly. Failures name the tensor, the worst index and the values.
 */
public final class TensorAssert {
  public static final double DEFAULT_REL_TO_MAX = 1e-4;
  public static final double DEFAULT_RTOL = 1e-4;

  private TensorAssert() {}

  /** Asserts {@code actual} matches {@code expected} (shape and values). */
  public static void assertClose(String name, NDArray actual, TensorData expected) {
    assertClose(name, actual, expected, DEFAULT_REL_TO_MAX, DEFAULT_RTOL);
  }

  public static void assertClose(String name, NDArray actual, TensorData expected, double relToMax, double rtol) {
    long[] as = actual.getShape().getShape();
    if (!Arrays.equals(as, expected.shape())) {
      throw new AssertionError(
          name + ": shape " + Arrays.toString(as) + " differs from reference " + Arrays.toString(expected.shape()));
    }
    if (!expected.dtype().isFloating()) {
      long[] a = actual.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
      long[] e = expected.toLongs();
      int bad = 0;
      int first = -1;
      for (int i = 0; i < e.length; i++) {
        if (a[i] != e[i]) {
          bad++;
          if (first < 0) {
            first = i;
          }
        }
      }
      if (bad > 0) {
        throw new AssertionError(
            name + ": " + bad + " of " + e.length + " integer values differ; first at flat index " + first
                + ": got " + a[first] + ", expected " + e[first]);
      }
      return;
    }
    float[] a = actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    float[] e = expected.toFloats();
    Result r = compare(a, e, relToMax, rtol);
    if (r.violations > 0) {
      throw new AssertionError(
          String.format(
              "%s: %d of %d values outside |a-b| <= %.0e*max|ref| + %.0e*|ref| (max|ref| = %.4g); worst at flat index %d: got %.7g, expected %.7g (|diff| %.3g, max rel-to-max %.3g)",
              name, r.violations, e.length, relToMax, rtol, r.maxRef, r.worst, a[r.worst], e[r.worst],
              Math.abs(a[r.worst] - e[r.worst]), r.maxRelToMax));
    }
  }

  /** Result of an elementwise comparison. */
  public record Result(int violations, int worst, double maxRef, double maxRelToMax) {}

  /** Elementwise comparison with the project tolerance. */
  public static Result compare(float[] a, float[] e, double relToMax, double rtol) {
    double maxRef = 0;
    for (float v : e) {
      maxRef = Math.max(maxRef, Math.abs(v));
    }
    int bad = 0;
    int worst = 0;
    double worstExcess = Double.NEGATIVE_INFINITY;
    double maxDiff = 0;
    for (int i = 0; i < e.length; i++) {
      double d = Math.abs((double) a[i] - e[i]);
      if (Double.isNaN(a[i])) {
        d = Double.POSITIVE_INFINITY;
      }
      double tol = relToMax * maxRef + rtol * Math.abs(e[i]);
      if (d > tol) {
        bad++;
      }
      if (d - tol > worstExcess) {
        worstExcess = d - tol;
        worst = i;
      }
      maxDiff = Math.max(maxDiff, d);
    }
    return new Result(bad, worst, maxRef, maxRef == 0 ? maxDiff : maxDiff / maxRef);
  }
}
