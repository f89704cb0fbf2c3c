package org.bevt4j.io;

import java.io.IOException;
import java.util.Arrays;

/**
 * A tensor as a checkpoint pickles it ({@code torch._utils._rebuild_tensor_v2}): a view of a
 * {@link TorchStorage} given by an element offset, a size and element strides. {@link #data()}
 * materialises it as a row-major {@link TensorData}: without copying when the view is contiguous,
 * otherwise by gathering the elements. Half, bfloat16 and the other dtypes are kept as stored.
 */
public final class TorchTensor {
  private final TorchStorage storage;
  private final long offset;
  private final long[] size;
  private final long[] stride;
  private final boolean requiresGrad;
  private final boolean parameter;
  private TensorData data;

  TorchTensor(TorchStorage storage, long offset, long[] size, long[] stride, boolean requiresGrad, boolean parameter) {
    if (size.length != stride.length) {
      throw new IllegalArgumentException(
          "tensor on storage " + storage.key() + ": size " + Arrays.toString(size) + " and stride "
              + Arrays.toString(stride) + " differ in rank");
    }
    this.storage = storage;
    this.offset = offset;
    this.size = size.clone();
    this.stride = stride.clone();
    this.requiresGrad = requiresGrad;
    this.parameter = parameter;
    StridedCopy.checkBounds(storage, offset, size, stride);
  }

  /** The same view marked as an {@code nn.Parameter}. */
  TorchTensor asParameter(boolean grad) {
    TorchTensor t = new TorchTensor(storage, offset, size, stride, grad, true);
    t.data = data;
    return t;
  }

  public TorchStorage storage() {
    return storage;
  }

  public DType dtype() {
    return storage.dtype();
  }

  public long[] shape() {
    return size.clone();
  }

  /** Offset of the first element, in elements. */
  public long storageOffset() {
    return offset;
  }

  /** Strides in elements. */
  public long[] stride() {
    return stride.clone();
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Whether it was pickled as an {@code nn.Parameter}. */
  public boolean isParameter() {
    return parameter;
  }

  /** Whether the view is row-major contiguous (it then needs no copy). */
  public boolean isContiguous() {
    return StridedCopy.isContiguous(size, stride);
  }

  /**
   * The values as a row-major tensor, read from the file on first use and cached.
   *
   * @throws WeightFileException if the storage record cannot be read
   */
  public synchronized TensorData data() {
    if (data == null) {
      try {
        data = StridedCopy.materialise(storage, offset, size, stride);
      } catch (IOException | RuntimeException e) {
        throw new WeightFileException("cannot read " + this + ": " + e.getMessage(), e);
      }
    }
    return data;
  }

  @Override
  public String toString() {
    return "tensor " + dtype() + Arrays.toString(size) + " (storage " + storage.key() + ", offset " + offset
        + ", stride " + Arrays.toString(stride) + ")";
  }
}
