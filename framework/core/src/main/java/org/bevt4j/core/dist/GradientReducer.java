package org.bevt4j.core.dist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.nn.Param;

/**
 * Averages gradients (or broadcasts parameters) across ranks through a few large flat float32
 * buckets: per bucket, copy each tensor in, one in-place all-reduce, scale by 1/world, copy back.
 * GPU tensors are staged through host memory (slower than NCCL, which DJL cannot reach: it exposes no
 * device pointers or CUDA streams to Java). On CPU the write-back goes straight into the tensor's
 * memory through DJL's aliasing {@code toByteBuffer(true)}.
 */
public final class GradientReducer {
  private final Communicator comm;
  private final List<List<Param>> buckets = new ArrayList<>();
  private final List<ByteBuffer> buffers = new ArrayList<>();
  private long totalFloats;

  /**
   * @param params the trainable parameters, in the same order on every rank
   * @param bucketBytes maximum bucket size (a single larger tensor gets its own bucket)
   */
  public GradientReducer(Communicator comm, List<Param> params, long bucketBytes) {
    this.comm = comm;
    List<Param> cur = new ArrayList<>();
    long curBytes = 0;
    for (Param p : params) {
      long bytes = p.shape().size() * 4;
      if (!cur.isEmpty() && curBytes + bytes > bucketBytes) {
        addBucket(cur, curBytes);
        cur = new ArrayList<>();
        curBytes = 0;
      }
      cur.add(p);
      curBytes += bytes;
      totalFloats += p.shape().size();
    }
    if (!cur.isEmpty()) {
      addBucket(cur, curBytes);
    }
  }

  private void addBucket(List<Param> params, long bytes) {
    buckets.add(params);
    buffers.add(ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder()));
  }

  public int bucketCount() {
    return buckets.size();
  }

  /** Total number of float32 values reduced per call. */
  public long totalFloats() {
    return totalFloats;
  }

  /** Replaces every gradient by its mean over all ranks. No-op in a world of one. */
  public void averageGradients() {
    if (comm.worldSize() == 1) {
      return;
    }
    float scale = 1f / comm.worldSize();
    for (int b = 0; b < buckets.size(); b++) {
      ByteBuffer buf = buffers.get(b);
      buf.clear();
      for (Param p : buckets.get(b)) {
        buf.put(bytesOf(p.array().getGradient()));
      }
      comm.allReduceSum(buf, buf.position() / 4);
      buf.flip();
      for (Param p : buckets.get(b)) {
        NDArray g = p.array().getGradient();
        writeBack(g, buf, scale);
      }
    }
  }

  /** Copies rank 0's parameter values to every rank (called once at start and after resume). */
  public void broadcastParameters() {
    if (comm.worldSize() == 1) {
      return;
    }
    for (int b = 0; b < buckets.size(); b++) {
      ByteBuffer buf = buffers.get(b);
      buf.clear();
      for (Param p : buckets.get(b)) {
        buf.put(bytesOf(p.array()));
      }
      int n = buf.position();
      comm.broadcast(buf, n, 0);
      buf.flip();
      for (Param p : buckets.get(b)) {
        writeBack(p.array(), buf, 1f);
      }
    }
  }

  private static ByteBuffer bytesOf(NDArray a) {
    if (a.getDataType() != DataType.FLOAT32) {
      throw new IllegalStateException("gradient reduction expects float32 tensors, found " + a.getDataType());
    }
    return a.toByteBuffer(false).order(ByteOrder.nativeOrder());
  }

  /** Writes the next {@code a.size()} floats of {@code buf} (times {@code scale}) into {@code a}. */
  private static void writeBack(NDArray a, ByteBuffer buf, float scale) {
    int bytes = Math.toIntExact(a.size() * 4);
    ByteBuffer slice = buf.slice().order(ByteOrder.nativeOrder());
    slice.limit(bytes);
    buf.position(buf.position() + bytes);
    if (scale != 1f) {
      var fb = slice.asFloatBuffer();
      for (int i = 0; i < fb.limit(); i++) {
        fb.put(i, fb.get(i) * scale);
      }
    }
    if (a.getDevice().isGpu()) {
      ByteBuffer copy = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      copy.put(slice).flip();
      a.set(copy);
    } else {
      ByteBuffer target = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
      if (!target.isDirect()) {
        throw new IllegalStateException("expected DJL to expose CPU tensor memory directly");
      }
      target.put(slice);
    }
  }
}
