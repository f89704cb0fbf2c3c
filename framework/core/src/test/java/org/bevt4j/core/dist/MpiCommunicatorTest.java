package org.bevt4j.core.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MpiCommunicatorTest {
  static boolean mpirunAvailable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "mpirun"))) {
        return true;
      }
    }
    return false;
  }

  /** Starts {@code mpirun -np 2 java -cp <test classpath> main args}. */
  static Process launch(int ranks, Path log, String main, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        "mpirun", "--oversubscribe", "--bind-to", "none", "-np", String.valueOf(ranks),
        "-x", "OMP_NUM_THREADS=1",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    pb.environment().put("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
    return pb.start();
  }

  @Test
  void twoRanksBroadcastAndAverage(@TempDir Path dir) throws Exception {
    assumeTrue(mpirunAvailable(), "mpirun not found on PATH: install Open MPI (apt-get install openmpi-bin libopenmpi-dev) to run the MPI tests");
    Path log = dir.resolve("mpirun.log");
    Process p = launch(2, log, MpiSmokeMain.class.getName(), dir.toString());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("mpirun finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    String r0 = Files.readString(dir.resolve("rank0.txt"));
    String r1 = Files.readString(dir.resolve("rank1.txt"));
    assertThat(r0).contains("world=2");
    // after broadcast both ranks hold rank 0's weights
    assertThat(field(r0, "w")).isEqualTo(field(r1, "w"));
    // d(sum(Wx+b))/dW rows = x; x = (1+rank, 2, 3): mean over ranks = (1.5, 2, 3)
    assertThat(field(r0, "gw")).isEqualTo("[1.5, 2.0, 3.0, 1.5, 2.0, 3.0]");
    assertThat(field(r1, "gw")).isEqualTo("[1.5, 2.0, 3.0, 1.5, 2.0, 3.0]");
    assertThat(field(r0, "gb")).isEqualTo("[1.0, 1.0]");
    assertThat(r0).contains("buckets=2");
  }

  private static String field(String line, String name) {
    int i = line.indexOf(" " + name + "=[");
    int j = line.indexOf(']', i);
    return line.substring(i + name.length() + 2, j + 1);
  }
}
