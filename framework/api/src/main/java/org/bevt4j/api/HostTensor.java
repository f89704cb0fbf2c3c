package org.bevt4j.api;

import java.util.Arrays;

/**
 * A dense float32 tensor in Java heap memory, row-major. Data loaders produce these on worker
 * threads (no native memory involved); the trainer batches them into NDArrays on the device.
 */
@Stable
public record HostTensor(float[] data, long[] shape) {
  public HostTensor {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** A zero tensor of the given shape. */
  public static HostTensor zeros(long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return new HostTensor(new float[Math.toIntExact(n)], shape.clone());
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor h && Arrays.equals(data, h.data) && Arrays.equals(shape, h.shape);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "HostTensor" + Arrays.toString(shape);
  }
}
