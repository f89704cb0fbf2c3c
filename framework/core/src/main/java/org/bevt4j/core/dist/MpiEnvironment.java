package org.bevt4j.core.dist;

import java.util.Map;
import java.util.OptionalInt;

/**
 * What an MPI launcher tells a process through its environment, read without initialising MPI:
 * Open MPI's {@code mpirun} ({@code OMPI_COMM_WORLD_*}), PMI/PMIx launchers such as Slurm's
 * {@code srun --mpi=pmix} ({@code PMIX_RANK}, {@code PMI_RANK}/{@code PMI_SIZE}) and Slurm's own
 * task variables ({@code SLURM_PROCID}, {@code SLURM_NTASKS}, {@code SLURM_LOCALID}).
 *
 * @param launched whether an MPI launcher started this process
 * @param rank this process's rank (0 when not launched)
 * @param size the number of processes, when the launcher says (else 1)
 * @param localRank the rank among the processes of this host, when known
 * @param source the variable the rank came from, for messages
 */
public record MpiEnvironment(boolean launched, int rank, int size, OptionalInt localRank, String source) {

  /** The current process's environment. */
  public static MpiEnvironment current() {
    return of(System.getenv());
  }

  /** Reads the given environment (testable). */
  public static MpiEnvironment of(Map<String, String> env) {
    String rankVar = first(env, "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK");
    if (rankVar == null) {
      return new MpiEnvironment(false, 0, 1, OptionalInt.empty(), "");
    }
    int rank = Integer.parseInt(env.get(rankVar).trim());
    String sizeVar = first(env, "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS", "SLURM_NTASKS");
    int size = sizeVar == null ? Math.max(1, rank + 1) : Integer.parseInt(env.get(sizeVar).trim());
    String localVar = first(env, "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID");
    OptionalInt local = localVar == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(env.get(localVar).trim()));
    return new MpiEnvironment(true, rank, size, local, rankVar);
  }

  private static String first(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return n;
      }
    }
    return null;
  }
}
