package org.bevt4j.swin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.StreamKind;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Interpolate;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Param;
import org.bevt4j.swin.bevt.BevtImageDecoder;
import org.bevt4j.swin.bevt.BevtVideoDecoder;
import org.junit.jupiter.api.Test;

/**
 * A tiny BEVT model + vocabulary head overfits one fixed batch of each stream with masked
 * cross-entropy (the BEVT loss: CE over masked target positions, video + image summed): both
 * losses fall by more than 90%.
 */
class OverfitTest {
  static final int VOCAB = 16;
  static final int STEPS = Integer.getInteger("overfit.steps", 150);

  @Test
  void bothStreamsOverfitOneBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      SwinTransformer3D model = new SwinTransformer3D(TinyConfigs.bevt().build());
      model.initialize(m);
      Linear head = new Linear(model.numFeatures(), VOCAB, true, Init.truncNormal(0.02), Init.zeros());
      head.initialize(m);
      List<Param> params = new ArrayList<>(model.namedParameters().values());
      params.addAll(head.namedParameters().values());
      TinyAdam adam = new TinyAdam(m, params, 5e-3f);
      BevtVideoDecoder videoDec = new BevtVideoDecoder(model.bevtHeads());
      BevtImageDecoder imageDec = new BevtImageDecoder(model.bevtHeads());

      NDArray video = m.randomNormal(new Shape(2, 3, 4, 16, 16));
      NDArray images = m.randomNormal(new Shape(2, 3, 16, 16));
      TokenGrid vGrid = model.maskGrid(StreamKind.VIDEO, 4, 16, 16);
      TokenGrid iGrid = model.maskGrid(StreamKind.IMAGE, 1, 16, 16);
      NDArray vMask = GradientFlowTest.checker(m, 2, vGrid.t(), vGrid.h(), vGrid.w());
      NDArray iMask = GradientFlowTest.checker(m, 2, 1, iGrid.h(), iGrid.w()).squeeze(1);
      TokenGrid vTarget = videoDec.targetGrid(vGrid);
      TokenGrid iTarget = imageDec.targetGrid(iGrid);
      // loss positions: the input masks nearest-upsampled to the target grids (time doubled for video)
      NDArray vLossMask =
          Interpolate.nearest(vMask.toType(DataType.FLOAT32, false), vTarget.t(), vTarget.h(), vTarget.w()).reshape(-1).gt(0.5f);
      NDArray iLossMask = iMask.reshape(-1);
      NDArray vLabels = m.randomInteger(0, VOCAB, new Shape(2L * vTarget.size()), DataType.INT64);
      NDArray iLabels = m.randomInteger(0, VOCAB, new Shape(2L * iTarget.size()), DataType.INT64);

      float[] first = null;
      float[] last = null;
      for (int step = 0; step < STEPS; step++) {
        try (NDScope scope = new NDScope()) {
          NDArray vLoss;
          NDArray iLoss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray vFeat = videoDec.decode(model.forwardVideo(video, vMask, true), true);
            NDArray iFeat = imageDec.decode(model.forwardImage(images, iMask, true), true);
            vLoss = maskedCe(head.forward(vFeat), vLabels, vLossMask);
            iLoss = maskedCe(head.forward(iFeat), iLabels, iLossMask);
            gc.backward(vLoss.add(iLoss));
          }
          float[] now = {vLoss.getFloat(), iLoss.getFloat()};
          if (first == null) {
            first = now;
          }
          last = now;
          if (Boolean.getBoolean("overfit.verbose")) {
            System.out.printf("step %d video %.4f image %.4f%n", step, now[0], now[1]);
          }
          adam.step();
        }
      }
      System.out.printf("overfit: video %.4f -> %.4f, image %.4f -> %.4f in %d steps%n", first[0], last[0], first[1], last[1], STEPS);
      assertThat(last[0]).isLessThan(0.1f * first[0]);
      assertThat(last[1]).isLessThan(0.1f * first[1]);
    }
  }

  /** Mean CE over the positions where {@code keep} is true; logits (B, N, V) flattened to 2-D. */
  static NDArray maskedCe(NDArray logits, NDArray labels, NDArray keep) {
    NDArray flat = logits.reshape(-1, VOCAB).get(new NDIndex("{}", keep));
    NDArray y = labels.get(new NDIndex("{}", keep));
    NDArray logp = flat.logSoftmax(-1);
    return logp.mul(y.oneHot(VOCAB)).sum(new int[] {1}).neg().mean();
  }
}
