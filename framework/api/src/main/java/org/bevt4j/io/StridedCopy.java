package org.bevt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Turns a strided view of a storage into row-major bytes, checking that it stays inside the storage. */
final class StridedCopy {
  private StridedCopy() {}

  /** Throws if any element of the view lies outside the storage or a stride/size is negative. */
  static void checkBounds(TorchStorage storage, long offset, long[] size, long[] stride) {
    if (offset < 0) {
      throw new IllegalArgumentException("negative storage offset " + offset);
    }
    long last = offset;
    boolean empty = false;
    for (int d = 0; d < size.length; d++) {
      if (size[d] < 0 || stride[d] < 0) {
        throw new IllegalArgumentException(
            "negative size or stride: size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride));
      }
      if (size[d] == 0) {
        empty = true;
      } else {
        last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
      }
    }
    if (!empty && last >= storage.numel()) {
      throw new IllegalArgumentException(
          "view (offset " + offset + ", size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
              + ") reaches element " + last + " of storage " + storage.key() + ", which has " + storage.numel());
    }
  }

  /** Row-major contiguity; dimensions of size 1 may have any stride. */
  static boolean isContiguous(long[] size, long[] stride) {
    long expected = 1;
    for (int d = size.length - 1; d >= 0; d--) {
      if (size[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= size[d];
    }
    return true;
  }

  static TensorData materialise(TorchStorage storage, long offset, long[] size, long[] stride) throws IOException {
    DType dtype = storage.dtype();
    int es = dtype.bytes();
    long numel = TensorData.numel(size);
    if (numel == 0) {
      return new TensorData(dtype, size, ByteBuffer.allocate(0));
    }
    if (Math.multiplyExact(numel, es) > Integer.MAX_VALUE) {
      throw new IOException("tensor " + Arrays.toString(size) + " of " + dtype + " is larger than 2 GB");
    }
    ByteBuffer src = storage.bytes();
    if (isContiguous(size, stride)) {
      return new TensorData(dtype, size, src.slice((int) (offset * es), (int) (numel * es)));
    }
    byte[] out = new byte[(int) (numel * es)];
    ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    int rank = size.length;
    // Gather: the innermost dimension is copied as one run when its stride is 1.
    int inner = rank - 1;
    long innerLen = size[inner];
    boolean innerRun = stride[inner] == 1;
    long[] index = new long[rank];
    int o = 0;
    long outer = numel / innerLen;
    for (long n = 0; n < outer; n++) {
      long base = offset;
      for (int d = 0; d < inner; d++) {
        base += index[d] * stride[d];
      }
      if (innerRun) {
        src.get((int) (base * es), out, o, (int) (innerLen * es));
        o += (int) (innerLen * es);
      } else {
        gather(src, dst, (int) base, (int) stride[inner], (int) innerLen, o, es);
        o += (int) (innerLen * es);
      }
      for (int d = inner - 1; d >= 0; d--) {
        if (++index[d] < size[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return new TensorData(dtype, size, ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** Copies {@code n} elements {@code stride} apart, starting at element {@code base}, to byte {@code o}. */
  private static void gather(ByteBuffer src, ByteBuffer dst, int base, int stride, int n, int o, int es) {
    switch (es) {
      case 1 -> {
        for (int i = 0; i < n; i++) {
          dst.put(o + i, src.get(base + i * stride));
        }
      }
      case 2 -> {
        for (int i = 0; i < n; i++) {
          dst.putShort(o + 2 * i, src.getShort(2 * (base + i * stride)));
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          dst.putInt(o + 4 * i, src.getInt(4 * (base + i * stride)));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          dst.putLong(o + 8 * i, src.getLong(8 * (base + i * stride)));
        }
      }
    }
  }
}
