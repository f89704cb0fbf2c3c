package org.bevt4j.core.dist;

import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import org.bevt4j.api.BevtException;

/** {@link Communicator} over MPI_COMM_WORLD of Open MPI. One per process. */
public final class MpiCommunicator implements Communicator {
  private static MpiCommunicator instance;

  private final MpiLibrary.Handle h;
  private final int rank;
  private final int size;
  private boolean closed;

  private MpiCommunicator() {
    this.h = MpiLibrary.Handle.load();
    IntByReference flag = new IntByReference();
    check(h.lib.MPI_Initialized(flag), "MPI_Initialized");
    if (flag.getValue() == 0) {
      check(h.lib.MPI_Init(null, null), "MPI_Init");
    }
    IntByReference r = new IntByReference();
    IntByReference s = new IntByReference();
    check(h.lib.MPI_Comm_rank(h.commWorld, r), "MPI_Comm_rank");
    check(h.lib.MPI_Comm_size(h.commWorld, s), "MPI_Comm_size");
    this.rank = r.getValue();
    this.size = s.getValue();
  }

  /** Initialises MPI once per process and returns the communicator. */
  public static synchronized MpiCommunicator get() {
    if (instance == null) {
      instance = new MpiCommunicator();
    }
    return instance;
  }

  /** Whether this process was started by an MPI launcher (mpirun, srun with PMI/PMIx). */
  public static boolean launchedByMpi() {
    var env = System.getenv();
    return env.containsKey("OMPI_COMM_WORLD_RANK") || env.containsKey("PMIX_RANK") || env.containsKey("PMI_RANK");
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return size;
  }

  @Override
  public void allReduceSum(ByteBuffer floats, int count) {
    requireDirect(floats, count * 4L);
    check(h.lib.MPI_Allreduce(h.inPlace, atStart(floats), count, h.floatType, h.opSum, h.commWorld), "MPI_Allreduce");
  }

  @Override
  public void allReduceSumDoubles(ByteBuffer doubles, int count) {
    requireDirect(doubles, count * 8L);
    check(h.lib.MPI_Allreduce(h.inPlace, atStart(doubles), count, h.doubleType, h.opSum, h.commWorld), "MPI_Allreduce");
  }

  @Override
  public void allReduceMaxDoubles(ByteBuffer doubles, int count) {
    requireDirect(doubles, count * 8L);
    check(h.lib.MPI_Allreduce(h.inPlace, atStart(doubles), count, h.doubleType, h.opMax, h.commWorld), "MPI_Allreduce");
  }

  @Override
  public void broadcast(ByteBuffer bytes, int count, int root) {
    requireDirect(bytes, count);
    check(h.lib.MPI_Bcast(atStart(bytes), count, h.byteType, root, h.commWorld), "MPI_Bcast");
  }

  @Override
  public void barrier() {
    check(h.lib.MPI_Barrier(h.commWorld), "MPI_Barrier");
  }

  @Override
  public void abort(int code) {
    h.lib.MPI_Abort(h.commWorld, code);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      IntByReference f = new IntByReference();
      h.lib.MPI_Finalized(f);
      if (f.getValue() == 0) {
        h.lib.MPI_Finalize();
      }
    }
  }

  /** JNA passes a direct buffer's address at its current position: always hand MPI the start. */
  private static ByteBuffer atStart(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    d.clear();
    return d;
  }

  private static void requireDirect(ByteBuffer b, long bytes) {
    if (!b.isDirect()) {
      throw new IllegalArgumentException("MPI buffers must be direct ByteBuffers");
    }
    if (b.capacity() < bytes) {
      throw new IllegalArgumentException("buffer of " + b.capacity() + " bytes is too small for " + bytes);
    }
  }

  private void check(int rc, String what) {
    if (rc != MpiLibrary.MPI_SUCCESS) {
      throw new BevtException(what + " failed with MPI error code " + rc + " on rank " + rank);
    }
  }
}
