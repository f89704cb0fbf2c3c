package org.bevt4j.core.dist;

import java.nio.ByteBuffer;

/** Collective operations among the processes of one training job. */
public interface Communicator extends AutoCloseable {
  int rank();

  int worldSize();

  default boolean isRoot() {
    return rank() == 0;
  }

  /** Element-wise sum of float32 values across ranks, in place ({@code buffer} must be direct, native order). */
  void allReduceSum(ByteBuffer floats, int count);

  /** Element-wise sum of float64 values across ranks, in place (direct buffer, native order). */
  void allReduceSumDoubles(ByteBuffer doubles, int count);

  /** Element-wise max of float64 values across ranks, in place (direct buffer). */
  void allReduceMaxDoubles(ByteBuffer doubles, int count);

  /** Copies rank {@code root}'s bytes into every rank's buffer (direct buffer). */
  void broadcast(ByteBuffer bytes, int count, int root);

  void barrier();

  /** Aborts the whole job (all ranks) with an exit code. */
  void abort(int code);

  @Override
  void close();
}
