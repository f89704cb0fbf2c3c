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
    // d(sum(Wx+b))/dW rows = x; x = (1+rank, 2, 3): mean over ranks = (1.5, 2, 3); a second identical
    // backward adds each rank's own gradient again and the staged reduction averages: twice that
    assertThat(field(r0, "gw")).isEqualTo("[3.0, 4.0, 6.0, 3.0, 4.0, 6.0]");
    assertThat(field(r1, "gw")).isEqualTo("[3.0, 4.0, 6.0, 3.0, 4.0, 6.0]");
    assertThat(field(r0, "gb")).isEqualTo("[2.0, 2.0]");
    // reached on rank 0 only: rank 1 joined with a zero gradient; after both rounds the mean equals
    // rank 0's own first-round gradient L: round 1 gives L/2 each, round 2 (1.5 L + 0.5 L) / 2 = L
    assertThat(field(r0, "g2")).isEqualTo(field(r0, "local2")).isEqualTo(field(r1, "g2"));
    assertThat(field(r1, "local2")).isEqualTo("[none]");
    assertThat(field(r0, "unused")).isEqualTo("[none]");
    assertThat(field(r1, "unused")).isEqualTo("[none]");
    assertThat(field(r0, "reduced")).isEqualTo("[14]");
    assertThat(r0).contains("buckets=6");
    for (String r : new String[] {r0, r1}) {
      assertThat(field(r, "sums")).isEqualTo("[1.0, 2.0]");
      assertThat(field(r, "any")).isEqualTo("[true,false]");
      assertThat(field(r, "text")).isEqualTo("[from rank 0]");
      assertThat(field(r, "ta")).isEqualTo("[1.0, 2.0, 3.0, 4.0, 5.0]");
      assertThat(field(r, "tb")).isEqualTo("[7, 8]");
      assertThat(r).doesNotContain("wrong dtype");
    }
  }

  private static String field(String line, String name) {
    int i = line.indexOf(" " + name + "=[");
    int j = line.indexOf(']', i);
    return line.substring(i + name.length() + 2, j + 1);
  }
}
