package org.bevt4j.swin;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Interpolate;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a unit test (run with {@code -Dbevt4j.measure=true}): process RSS and live NDArray count over
 * 200 training steps (both streams, masked CE, Adam) of a tiny BEVT model, one NDScope per step.
 */
@EnabledIfSystemProperty(named = "bevt4j.measure", matches = "true")
class MemoryMeasurement {
  @Test
  void rssAndArraysOver200Steps() throws Exception {
    int steps = Integer.getInteger("bevt4j.measure.steps", 200);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      SwinTransformer3D model = new SwinTransformer3D(TinyConfigs.bevt().dropPathRate(0.1).build());
      model.initialize(m);
      Linear head = new Linear(model.numFeatures(), 16, true, Init.truncNormal(0.02), Init.zeros());
      head.initialize(m);
      List<Param> params = new ArrayList<>(model.namedParameters().values());
      params.addAll(head.namedParameters().values());
      TinyAdam adam = new TinyAdam(m, params, 1e-3f);
      NDArray vMask = GradientFlowTest.checker(m, 2, 2, 4, 4);
      NDArray iMask = GradientFlowTest.checker(m, 2, 1, 4, 4).squeeze(1);
      NDArray vLossMask = Interpolate.nearest(vMask.toType(DataType.FLOAT32, true), 4, 4, 4).reshape(-1).gt(0.5f);
      NDArray iLossMask = iMask.reshape(-1);
      long start = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        try (NDScope scope = new NDScope()) {
          NDArray video = m.randomNormal(new Shape(2, 3, 4, 16, 16));
          NDArray images = m.randomNormal(new Shape(2, 3, 16, 16));
          NDArray vLabels = m.randomInteger(0, 16, new Shape(128), DataType.INT64);
          NDArray iLabels = m.randomInteger(0, 16, new Shape(32), DataType.INT64);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray vFeat = model.bevtHeads().decodeVideo(model.forwardVideo(video, vMask, true));
            NDArray iFeat = model.bevtHeads().decodeImage(model.forwardImage(images, iMask, true));
            NDArray loss =
                OverfitTest.maskedCe(head.forward(vFeat), vLabels, vLossMask)
                    .add(OverfitTest.maskedCe(head.forward(iFeat), iLabels, iLossMask));
            gc.backward(loss);
          }
          adam.step();
        }
        if (step == 0 || step == 9 || (step + 1) % 50 == 0) {
          System.gc();
          System.out.printf(
              "MEASURE step %d: RSS %.1f MB (Java heap committed %.1f MB, used %.1f MB), live NDArrays in model manager %d,"
                  + " window caches %d, %.1f s%n",
              step + 1, rssMb(), Runtime.getRuntime().totalMemory() / 1048576.0,
              (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0,
              m.getManagedArrays().size(), model.caches().size(), (System.nanoTime() - start) / 1e9);
        }
      }
    }
  }

  private static double rssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }
}
