package org.bevt4j.swin.weights;

import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Interpolate;

/**
 * Resizing and tiling of relative-position bias tables {@code (rows, nH)} (host-side), as BEVT's
 * and Video Swin's checkpoint loaders do.
 */
final class TableResize {
  private TableResize() {}

  /** (rows, nH) row-major → (nH, rows) planes. */
  static float[] toPlanes(float[] table, int rows, int heads) {
    float[] out = new float[table.length];
    for (int r = 0; r < rows; r++) {
      for (int h = 0; h < heads; h++) {
        out[h * rows + r] = table[r * heads + h];
      }
    }
    return out;
  }

  /** (nH, rows) planes → (rows, nH) row-major. */
  static float[] fromPlanes(float[] planes, int rows, int heads) {
    float[] out = new float[planes.length];
    for (int h = 0; h < heads; h++) {
      for (int r = 0; r < rows; r++) {
        out[r * heads + h] = planes[h * rows + r];
      }
    }
    return out;
  }

  /** Bicubic resize of a 2-D table (S1*S1, nH) to (oh*ow, nH) (upstream {@code mode='bicubic'}). */
  static float[] bicubic2d(float[] table, int heads, int s1, int oh, int ow) {
    float[] planes = toPlanes(table, s1 * s1, heads);
    float[] resized = Interpolate.bicubic(planes, heads, s1, s1, oh, ow);
    return fromPlanes(resized, oh * ow, heads);
  }

  /** Trilinear resize of a 3-D table (d1*s1h*s1w, nH) to (d2*s2h*s2w, nH). */
  static float[] trilinear3d(float[] table, int heads, int[] from, int[] to) {
    int rows = from[0] * from[1] * from[2];
    float[] planes = toPlanes(table, rows, heads);
    float[] resized = Interpolate.trilinear(planes, heads, from[0], from[1], from[2], to[0], to[1], to[2]);
    return fromPlanes(resized, to[0] * to[1] * to[2], heads);
  }

  /** {@code table.repeat(times, 1)}: the rows stacked {@code times} times. */
  static float[] tileRows(float[] table, int times) {
    float[] out = new float[table.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(table, 0, out, i * table.length, table.length);
    }
    return out;
  }

  static TensorData tensor(float[] values, long... shape) {
    return TensorData.ofFloats(values, shape);
  }
}
