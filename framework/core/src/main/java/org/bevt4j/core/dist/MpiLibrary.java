package org.bevt4j.core.dist;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.Buffer;
import java.util.Map;
import org.bevt4j.api.BevtException;

/**
 * JNA binding of the Open MPI C functions bevt4j uses. Handles such as {@code MPI_COMM_WORLD},
 * {@code MPI_FLOAT} and {@code MPI_SUM} are addresses of global objects in Open MPI
 * ({@code ompi_mpi_comm_world}, {@code ompi_mpi_float}, {@code ompi_mpi_op_sum}); {@code MPI_IN_PLACE}
 * is the address 1.
 */
public interface MpiLibrary extends Library {
  int MPI_SUCCESS = 0;

  int MPI_Init(Pointer argc, Pointer argv);

  int MPI_Initialized(IntByReference flag);

  int MPI_Finalized(IntByReference flag);

  int MPI_Comm_rank(Pointer comm, IntByReference rank);

  int MPI_Comm_size(Pointer comm, IntByReference size);

  int MPI_Allreduce(Pointer sendbuf, Buffer recvbuf, int count, Pointer datatype, Pointer op, Pointer comm);

  int MPI_Bcast(Buffer buffer, int count, Pointer datatype, int root, Pointer comm);

  int MPI_Barrier(Pointer comm);

  int MPI_Abort(Pointer comm, int errorcode);

  int MPI_Finalize();

  /** Loaded library plus the handles of the predefined objects. */
  final class Handle {
    final MpiLibrary lib;
    final Pointer commWorld;
    final Pointer floatType;
    final Pointer doubleType;
    final Pointer byteType;
    final Pointer opSum;
    final Pointer opMax;
    final Pointer inPlace = new Pointer(1);

    private Handle(String name) {
      // RTLD_NOW | RTLD_GLOBAL: Open MPI's MCA plugins need libmpi's symbols to be global
      Map<String, Object> opts = Map.of(Library.OPTION_OPEN_FLAGS, 0x002 | 0x100);
      NativeLibrary nl = NativeLibrary.getInstance(name, opts);
      this.lib = Native.load(name, MpiLibrary.class, opts);
      this.commWorld = nl.getGlobalVariableAddress("ompi_mpi_comm_world");
      this.floatType = nl.getGlobalVariableAddress("ompi_mpi_float");
      this.doubleType = nl.getGlobalVariableAddress("ompi_mpi_double");
      this.byteType = nl.getGlobalVariableAddress("ompi_mpi_byte");
      this.opSum = nl.getGlobalVariableAddress("ompi_mpi_op_sum");
      this.opMax = nl.getGlobalVariableAddress("ompi_mpi_op_max");
    }

    /** Loads libmpi (Open MPI); {@code -Dbevt4j.mpi.library=} overrides the library name or path. */
    static Handle load() {
      String name = System.getProperty("bevt4j.mpi.library", "mpi");
      try {
        return new Handle(name);
      } catch (UnsatisfiedLinkError e) {
        throw new BevtException(
            "cannot load the Open MPI library \"" + name + "\" (" + e.getMessage() + "); install Open MPI "
                + "(Debian: apt-get install openmpi-bin libopenmpi-dev) or set -Dbevt4j.mpi.library=/path/libmpi.so",
            e);
      }
    }
  }
}
