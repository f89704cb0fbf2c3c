package org.bevt4j.core.dist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.optim.Gradients;
import org.bevt4j.io.DType;
import org.bevt4j.io.TensorData;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Param;

/**
 * Run under mpirun by {@link MpiCommunicatorTest}: checks broadcast, gradient averaging (direct and
 * staged copies), the gradient-presence agreement and the collective helpers on 2 ranks.
 */
public final class MpiSmokeMain {
  private MpiSmokeMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    try (MpiCommunicator comm = MpiCommunicator.get(); NDManager m = NDManager.newBaseManager()) {
      int rank = comm.rank();
      Engine.getInstance().setRandomSeed(100 + rank); // different init per rank
      Linear lin = new Linear(3, 2, true);
      lin.initialize(m);
      Linear second = new Linear(2, 2, true); // reached on rank 0 only
      second.initialize(m);
      Linear unused = new Linear(2, 2, true); // reached by no rank
      unused.initialize(m);
      List<Param> params = new ArrayList<>(lin.namedParameters().values());
      params.addAll(second.namedParameters().values());
      params.addAll(unused.namedParameters().values());
      // tiny buckets to exercise several of them
      GradientReducer reducer = new GradientReducer(comm, params, 16);
      reducer.broadcastParameters();
      NDArray x = m.create(new float[] {1f + rank, 2f, 3f}).reshape(1, 3);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray h = lin.forward(x);
        gc.backward(rank == 0 ? h.sum().add(second.forward(h.stopGradient()).sum()) : h.sum());
      }
      String localSecond = grad(second.weight());
      reducer.averageGradients();
      long reduced = reducer.lastReducedFloats();
      // the staged (GPU-style) copy path on a second, identical backward: gradients double, then halve
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray h = lin.forward(x);
        gc.backward(rank == 0 ? h.sum().add(second.forward(h.stopGradient()).sum()) : h.sum());
      }
      GradientReducer staged = new GradientReducer(comm, params, 1 << 20);
      staged.forceStaging(true);
      staged.averageGradients();
      double[] sums = Collectives.sum(comm, new double[] {rank, 1});
      boolean any = Collectives.any(comm, rank == 1);
      boolean none = Collectives.any(comm, false);
      String text = Collectives.broadcastString(comm, rank == 0 ? "from rank 0" : "ignored");
      Map<String, TensorData> tensors = Collectives.broadcastTensors(comm,
          rank == 0 ? Map.of("a", TensorData.ofFloats(new float[] {1, 2, 3, 4, 5}, 5), "b", TensorData.ofLongs(new long[] {7, 8}, 2, 1)) : Map.of(),
          12);
      comm.barrier();
      String line =
          "rank=" + rank + " world=" + comm.worldSize() + " buckets=" + reducer.bucketCount()
              + " w=" + Arrays.toString(lin.weight().array().toFloatArray())
              + " gw=" + Arrays.toString(lin.weight().array().getGradient().toFloatArray())
              + " gb=" + Arrays.toString(lin.bias().array().getGradient().toFloatArray())
              + " local2=" + localSecond
              + " g2=" + grad(second.weight())
              + " unused=" + grad(unused.weight())
              + " reduced=[" + reduced + "]"
              + " sums=" + Arrays.toString(sums)
              + " any=[" + any + "," + none + "]"
              + " text=[" + text + "]"
              + " ta=" + Arrays.toString(tensors.get("a").toFloats())
              + " tb=" + Arrays.toString(tensors.get("b").toLongs()) + (tensors.get("b").dtype() == DType.I64 ? "" : " wrong dtype");
      Files.writeString(out.resolve("rank" + rank + ".txt"), line);
    }
  }

  private static String grad(Param p) {
    try (NDScope s = new NDScope()) {
      NDArray g = Gradients.gradOrNull(p.array());
      return g == null ? "[none]" : Arrays.toString(g.toFloatArray());
    }
  }
}
