package org.bevt4j.core.dist;

import com.typesafe.config.Config;
import java.util.Locale;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Settings;

/**
 * {@code bevt.train.distributed}: data-parallel training across processes.
 *
 * @param backend {@code none} (one process) or {@code mpi} (one rank per process, started by
 *     {@code mpirun} or {@code srun}; rank and world size come from MPI)
 * @param bucketMb gradient all-reduce bucket size in MiB (PyTorch DDP's {@code bucket_cap_mb})
 */
public record DistributedSettings(Backend backend, double bucketMb) {
  /** Default bucket size, MiB. */
  public static final double DEFAULT_BUCKET_MB = 25;

  /** How ranks talk. */
  public enum Backend {
    NONE,
    MPI
  }

  public DistributedSettings {
    if (!(bucketMb > 0) || bucketMb > 2047) {
      throw new IllegalArgumentException("bucket-mb must be in (0, 2047], got " + bucketMb);
    }
  }

  /** Single process, default buckets. */
  public static DistributedSettings none() {
    return new DistributedSettings(Backend.NONE, DEFAULT_BUCKET_MB);
  }

  /** Reads {@code bevt.train.distributed} of a root config (absent keys: the defaults). */
  public static DistributedSettings from(Config root) {
    Settings s = Settings.of(root, "").sub("bevt.train.distributed");
    Backend b = s.hasPath("backend") && !s.isNull("backend")
        ? Backend.valueOf(s.oneOf("backend", "none", "mpi").toUpperCase(Locale.ROOT))
        : Backend.NONE;
    double mb = s.hasPath("bucket-mb") && !s.isNull("bucket-mb") ? s.numberIn("bucket-mb", 1e-3, 2047) : DEFAULT_BUCKET_MB;
    return new DistributedSettings(b, mb);
  }

  /** The bucket size in bytes. */
  public long bucketBytes() {
    return Math.max(4, (long) (bucketMb * 1024 * 1024));
  }

  /**
   * The communicator this process should use: {@link LocalCommunicator} for {@code none}, the MPI
   * world for {@code mpi}. Refuses {@code mpi} outside an MPI launcher, and {@code none} inside a
   * multi-process launch (every rank would train alone and write the same run directory).
   */
  public Communicator open(MpiEnvironment env) {
    return switch (backend) {
      case NONE -> {
        if (env.launched() && env.size() > 1) {
          throw new BevtConfigException(
              "bevt.train.distributed.backend", "",
              "is none, but this process is rank " + env.rank() + " of " + env.size() + " started by an MPI launcher ("
                  + env.source() + "): every rank would train the same model alone and write the same run directory",
              "set --set bevt.train.distributed.backend=mpi, or start one process without mpirun/srun");
        }
        yield new LocalCommunicator();
      }
      case MPI -> {
        if (!env.launched()) {
          throw new BevtConfigException(
              "bevt.train.distributed.backend", "",
              "is mpi, but this process was not started by an MPI launcher (no OMPI_COMM_WORLD_RANK, PMIX_RANK or PMI_RANK)",
              "launch with e.g. mpirun -np 2 --bind-to none -x OMP_NUM_THREADS=8 bevt4j pretrain ..., or srun --mpi=pmix; "
                  + "or set backend = none (docs/distributed.md)");
        }
        yield MpiCommunicator.get();
      }
    };
  }
}
