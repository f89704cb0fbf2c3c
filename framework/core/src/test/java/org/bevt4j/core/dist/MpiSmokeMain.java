package org.bevt4j.core.dist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Param;

/** Run under mpirun by {@link MpiCommunicatorTest}: checks broadcast and gradient averaging on 2 ranks. */
public final class MpiSmokeMain {
  private MpiSmokeMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    try (MpiCommunicator comm = MpiCommunicator.get(); NDManager m = NDManager.newBaseManager()) {
      int rank = comm.rank();
      Engine.getInstance().setRandomSeed(100 + rank); // different init per rank
      Linear lin = new Linear(3, 2, true);
      lin.initialize(m);
      List<Param> params = new ArrayList<>(lin.namedParameters().values());
      // tiny buckets to exercise several of them
      GradientReducer reducer = new GradientReducer(comm, params, 16);
      reducer.broadcastParameters();
      NDArray x = m.create(new float[] {1f + rank, 2f, 3f}).reshape(1, 3);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(lin.forward(x).sum());
      }
      reducer.averageGradients();
      comm.barrier();
      String line =
          "rank=" + rank + " world=" + comm.worldSize() + " buckets=" + reducer.bucketCount()
              + " w=" + Arrays.toString(lin.weight().array().toFloatArray())
              + " gw=" + Arrays.toString(lin.weight().array().getGradient().toFloatArray())
              + " gb=" + Arrays.toString(lin.bias().array().getGradient().toFloatArray());
      Files.writeString(out.resolve("rank" + rank + ".txt"), line);
    }
  }
}
