package org.bevt4j.swin.bevt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.StreamKind;
import org.bevt4j.nn.ConvTransposeKEqS;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Linear;

/**
 * BEVT's two lightweight decoders, computed with modules the backbone owns (so one state dict
 * loads everything): the image decoder {@code fpn.0} (ConvTranspose2d k = s = 2) on x4, concat
 * [x3, up(x4)] on C (1.5F), {@code lm_down} Linear(1.5F → F), shared {@code norm}; the video
 * decoder {@code fpn_s.0} (ConvTranspose3d k = s = (1,2,2)), concat, {@code lm_down_st.0}, {@code
 * fpn_t.0} (ConvTranspose3d k = s = (2,1,1)) doubling time, shared {@code norm}. x3 is {@code
 * stage(L-1).pre}, x4 is {@code stageL}. No activations. Output (B, t*h*w, F) in (t, h, w) order.
 */
public final class BevtHeads {
  private final int numLayers;
  private final LayerNorm norm;
  private final Linear lmDown;
  private final ConvTransposeKEqS fpn;
  private final Linear lmDownSt;
  private final ConvTransposeKEqS fpnS;
  private final ConvTransposeKEqS fpnT;

  public BevtHeads(
      int numLayers,
      LayerNorm norm,
      Linear lmDown,
      ConvTransposeKEqS fpn,
      Linear lmDownSt,
      ConvTransposeKEqS fpnS,
      ConvTransposeKEqS fpnT) {
    this.numLayers = numLayers;
    this.norm = norm;
    this.lmDown = lmDown;
    this.fpn = fpn;
    this.lmDownSt = lmDownSt;
    this.fpnS = fpnS;
    this.fpnT = fpnT;
  }

  /** Image stream: (B, H3*W3, F). */
  public NDArray decodeImage(BackboneOutput out) {
    requireStream(out, StreamKind.IMAGE);
    NDArray x3 = out.get(x3Name()).features().squeeze(2); // (B, C3, H3, W3)
    NDArray x4 = out.get(x4Name()).features().squeeze(2); // (B, F, H4, W4)
    NDArray up = fpn.forward(x4);
    checkFits(x3.getShape(), up.getShape(), 2, "image");
    NDArray cat = NDArrays.concat(new NDList(x3.transpose(0, 2, 3, 1), up.transpose(0, 2, 3, 1)), -1);
    NDArray y = norm.forward(lmDown.forward(cat));
    return y.reshape(y.getShape().get(0), -1, y.getShape().get(3));
  }

  /** Video stream: (B, 2*D*H3*W3, F). */
  public NDArray decodeVideo(BackboneOutput out) {
    requireStream(out, StreamKind.VIDEO);
    NDArray x3 = out.get(x3Name()).features(); // (B, C3, D, H3, W3)
    NDArray x4 = out.get(x4Name()).features(); // (B, F, D, H4, W4)
    NDArray up = fpnS.forward(x4);
    checkFits(x3.getShape(), up.getShape(), 2, "video");
    NDArray cat = NDArrays.concat(new NDList(x3.transpose(0, 2, 3, 4, 1), up.transpose(0, 2, 3, 4, 1)), -1);
    NDArray y = lmDownSt.forward(cat).transpose(0, 4, 1, 2, 3);
    y = fpnT.forward(y).transpose(0, 2, 3, 4, 1);
    y = norm.forward(y);
    return y.reshape(y.getShape().get(0), -1, y.getShape().get(4));
  }

  /** The backbone map fused as x3. */
  public String x3Name() {
    return "stage" + (numLayers - 1) + ".pre";
  }

  /** The backbone map up-sampled as x4. */
  public String x4Name() {
    return "stage" + numLayers;
  }

  /** Width of the decoded features. */
  public int featureDim() {
    return (int) norm.dim();
  }

  /** Frames added by {@code fpn_t} (its temporal kernel). */
  public int temporalFactor() {
    return (int) fpnT.kernel()[0];
  }

  private static void requireStream(BackboneOutput out, StreamKind kind) {
    if (out.stream() != kind) {
      throw new IllegalArgumentException(
          "the " + kind.configName() + " decoder got a " + out.stream().configName() + " backbone output");
    }
  }

  private static void checkFits(Shape x3, Shape up, int firstSpatial, String stream) {
    for (int a = firstSpatial; a < x3.dimension(); a++) {
      if (x3.get(a) != up.get(a)) {
        throw new IllegalArgumentException(
            "BEVT " + stream + " decoder: the up-sampled last-stage map " + up + " does not match the previous stage's map "
                + x3 + " (channels-first); the last stage grid must be exactly half the previous one, i.e. the patch"
                + " grid H/patch and W/patch must be divisible by 2^(stages-1) (56 for a 224-px input)");
      }
    }
  }
}
