package org.bevt4j.nn.fused;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;

/** The project tolerance |a-b| <= 1e-4·max|ref| + 1e-4·|ref|, elementwise. */
final class Close {
  private Close() {}

  static void assertClose(String what, NDArray actual, NDArray reference) {
    assertThat(actual.getShape()).as(what + " shape").isEqualTo(reference.getShape());
    float[] a = actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    float[] r = reference.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    double maxRef = 0;
    for (float x : r) {
      maxRef = Math.max(maxRef, Math.abs(x));
    }
    assertThat(maxRef).as(what + " reference is not all zero").isGreaterThan(0);
    for (int i = 0; i < a.length; i++) {
      double tol = 1e-4 * maxRef + 1e-4 * Math.abs(r[i]);
      if (!(Math.abs(a[i] - r[i]) <= tol)) {
        throw new AssertionError(
            what + "[" + i + "]: " + a[i] + " vs reference " + r[i] + " (tolerance " + tol + ")");
      }
    }
  }
}
