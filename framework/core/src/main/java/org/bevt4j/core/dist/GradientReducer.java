package org.bevt4j.core.dist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.core.optim.Gradients;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;

/**
 * Averages gradients across ranks through a few large flat float32 buckets: per bucket, copy each
 * gradient in, one in-place all-reduce (sum), copy back, scale by 1/world in the engine.
 *
 * <p>Gradients that do not exist (PyTorch's {@code grad is None}: a parameter no loss reached) are
 * handled as in {@code DistributedDataParallel}: a presence vector is summed across ranks first;
 * parameters without a gradient on every rank are left out (and stay gradient-free, so the
 * optimizer skips them everywhere); a parameter with a gradient on some ranks only gets a zero
 * gradient on the others before the reduction, so every rank ends with the same gradients. Once
 * every parameter has a gradient on every rank (the usual case from the first step on), the
 * presence check is skipped: gradients are never removed within a stage.
 *
 * <p>GPU tensors are staged through host memory: copy to the bucket, all-reduce on the host, copy
 * back with an in-place indexed assignment. NCCL would all-reduce device memory directly, but DJL
 * exposes neither device pointers nor CUDA streams to Java (see {@code docs/distributed.md}). On
 * CPU both copies go straight between the bucket and the tensors' memory, through DJL's aliasing
 * {@code toByteBuffer(true)}.
 */
public final class GradientReducer {
  private final Communicator comm;
  private final List<Param> params;
  private final List<int[]> buckets = new ArrayList<>();
  private final List<ByteBuffer> buffers = new ArrayList<>();
  private final long totalFloats;
  private boolean allPresent;
  private boolean forceStaging;
  private long reducedFloats;

  /**
   * @param params the trainable parameters, in the same order on every rank
   * @param bucketBytes maximum bucket size (a single larger tensor gets its own bucket)
   */
  public GradientReducer(Communicator comm, List<Param> params, long bucketBytes) {
    if (bucketBytes < 4) {
      throw new IllegalArgumentException("bucket size must be at least 4 bytes, got " + bucketBytes);
    }
    this.comm = comm;
    this.params = List.copyOf(params);
    List<Integer> cur = new ArrayList<>();
    long curBytes = 0;
    long total = 0;
    for (int i = 0; i < this.params.size(); i++) {
      Param p = this.params.get(i);
      if (p.dataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException("gradient reduction supports float32 parameters; " + p.localName() + " is " + p.dataType());
      }
      long bytes = p.shape().size() * 4;
      if (!cur.isEmpty() && curBytes + bytes > bucketBytes) {
        addBucket(cur, curBytes);
        cur = new ArrayList<>();
        curBytes = 0;
      }
      cur.add(i);
      curBytes += bytes;
      total += p.shape().size();
    }
    if (!cur.isEmpty()) {
      addBucket(cur, curBytes);
    }
    this.totalFloats = total;
  }

  private void addBucket(List<Integer> indices, long bytes) {
    buckets.add(indices.stream().mapToInt(Integer::intValue).toArray());
    buffers.add(ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder()));
  }

  public int bucketCount() {
    return buckets.size();
  }

  /** Total number of float32 values of the parameters. */
  public long totalFloats() {
    return totalFloats;
  }

  /** Float32 values all-reduced by the last {@link #averageGradients()} call. */
  public long lastReducedFloats() {
    return reducedFloats;
  }

  /** Test seam: stage through host copies and indexed assignment as on a GPU, also on CPU. */
  void forceStaging(boolean on) {
    this.forceStaging = on;
  }

  /**
   * Replaces every gradient by its mean over all ranks. No-op in a world of one. Call with autograd
   * off (outside any gradient collector): a zero gradient may have to be created.
   */
  public void averageGradients() {
    reducedFloats = 0;
    if (comm.worldSize() == 1) {
      return;
    }
    boolean[] reduce = agreePresence();
    float scale = 1f / comm.worldSize();
    for (int b = 0; b < buckets.size(); b++) {
      ByteBuffer buf = buffers.get(b);
      buf.clear();
      try (NDScope s = new NDScope()) {
        List<NDArray> grads = new ArrayList<>();
        for (int i : buckets.get(b)) {
          if (!reduce[i]) {
            continue;
          }
          NDArray g = Gradients.gradOrNull(params.get(i).array());
          grads.add(g);
          readInto(g, buf);
        }
        if (grads.isEmpty()) {
          continue;
        }
        int floats = buf.position() / 4;
        comm.allReduceSum(buf, floats);
        reducedFloats += floats;
        buf.flip();
        for (NDArray g : grads) {
          writeBack(g, buf);
          g.muli(scale);
        }
      }
    }
  }

  /**
   * Which parameters to reduce (those with a gradient on at least one rank); creates zero gradients
   * where another rank has one and this rank has none.
   */
  private boolean[] agreePresence() {
    int n = params.size();
    boolean[] reduce = new boolean[n];
    if (allPresent) {
      java.util.Arrays.fill(reduce, true);
      return reduce;
    }
    double[] count = new double[n];
    boolean[] local = new boolean[n];
    for (int i = 0; i < n; i++) {
      local[i] = hasGrad(params.get(i));
      count[i] = local[i] ? 1 : 0;
    }
    Collectives.sum(comm, count);
    boolean all = true;
    for (int i = 0; i < n; i++) {
      reduce[i] = count[i] > 0;
      all &= count[i] == comm.worldSize();
      if (reduce[i] && !local[i]) {
        createZeroGradient(params.get(i));
      }
    }
    allPresent = all;
    return reduce;
  }

  private static boolean hasGrad(Param p) {
    try (NDScope s = new NDScope()) {
      return Gradients.gradOrNull(p.array()) != null;
    }
  }

  /** Gives a parameter a zero {@code .grad} (backward of {@code 0 · Σw}). */
  private static void createZeroGradient(Param p) {
    try (NDScope s = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(Scalars.mul(p.array().sum(), 0.0));
    }
  }

  /**
   * Copies rank 0's parameter values to every rank, float32 only, through the buckets. (The
   * trainer broadcasts whole model and optimizer states with {@link Collectives#broadcastTensors}.)
   */
  public void broadcastParameters() {
    if (comm.worldSize() == 1) {
      return;
    }
    for (int b = 0; b < buckets.size(); b++) {
      ByteBuffer buf = buffers.get(b);
      buf.clear();
      for (int i : buckets.get(b)) {
        readInto(params.get(i).array(), buf);
      }
      int n = buf.position();
      comm.broadcast(buf, n, 0);
      buf.flip();
      for (int i : buckets.get(b)) {
        writeBack(params.get(i).array(), buf);
      }
    }
  }

  private void readInto(NDArray a, ByteBuffer buf) {
    if (a.getDataType() != DataType.FLOAT32) {
      throw new IllegalStateException("gradient reduction expects float32 tensors, found " + a.getDataType());
    }
    boolean direct = !a.getDevice().isGpu() && !forceStaging;
    buf.put(a.toByteBuffer(direct).order(ByteOrder.nativeOrder()));
  }

  /** Writes the next {@code a.size()} floats of {@code buf} into {@code a}, in place. */
  private void writeBack(NDArray a, ByteBuffer buf) {
    int bytes = Math.toIntExact(a.size() * 4);
    ByteBuffer slice = buf.slice().order(ByteOrder.nativeOrder());
    slice.limit(bytes);
    buf.position(buf.position() + bytes);
    if (a.getDevice().isGpu() || forceStaging) {
      ByteBuffer copy = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      copy.put(slice).flip();
      try (NDScope s = new NDScope()) {
        NDArray host = a.getManager().create(copy, a.getShape(), DataType.FLOAT32);
        NDArray value = a.getDevice().equals(host.getDevice()) ? host : host.toDevice(a.getDevice(), false);
        a.set(new NDIndex("..."), value);
      }
    } else {
      ByteBuffer target = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
      if (!target.isDirect()) {
        throw new IllegalStateException("expected DJL to expose CPU tensor memory directly");
      }
      target.put(slice);
    }
  }
}
