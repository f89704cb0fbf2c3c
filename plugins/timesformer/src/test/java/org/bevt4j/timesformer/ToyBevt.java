package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.NearestResize;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;

/**
 * A tiny BEVT task as the trainer runs it: masks drawn on the backbone's mask grid, the BEVT
 * decoders, a Linear vocabulary head, masked cross-entropy on the target grid (the mask
 * nearest-upsampled from mask grid to target grid), one fixed batch per stream.
 */
final class ToyBevt {
  static final int VOCAB = 16;

  final VisionTransformer model;
  final TimeSformerDecoder imageDecoder;
  final TimeSformerDecoder videoDecoder;
  final Linear head;
  private final NDManager manager;
  private final Map<StreamKind, Batch> batches = new LinkedHashMap<>();

  record Batch(NDArray input, NDArray mask, NDArray targetMask, NDArray labels) {}

  ToyBevt(TimeSformerConfig c, NDManager m, int batch, int frames, int size, long seed) {
    this(c, org.bevt4j.nn.fused.Attention.Mode.COMPOSITE, m, batch, frames, size, seed);
  }

  ToyBevt(TimeSformerConfig c, org.bevt4j.nn.fused.Attention.Mode mode, NDManager m, int batch, int frames, int size, long seed) {
    this.manager = m;
    this.model = VisionTransformer.create(c, mode, m);
    this.imageDecoder = TimeSformerDecoder.create(StreamKind.IMAGE, model, m);
    this.videoDecoder = TimeSformerDecoder.create(StreamKind.VIDEO, model, m);
    this.head = new Linear(c.embedDim(), VOCAB, true, Init.truncNormal(0.02), Init.zeros());
    head.initialize(m);
    Random rng = new Random(seed);
    batches.put(StreamKind.VIDEO, batch(StreamKind.VIDEO, batch, frames, size, rng));
    batches.put(StreamKind.IMAGE, batch(StreamKind.IMAGE, batch, 1, size, rng));
  }

  private Batch batch(StreamKind stream, int b, int frames, int size, Random rng) {
    TokenGrid mg = model.maskGrid(stream, frames, size, size);
    TimeSformerDecoder dec = stream == StreamKind.IMAGE ? imageDecoder : videoDecoder;
    TokenGrid tg = dec.targetGrid(mg);
    int c = model.config().inChans();
    float[] px = new float[b * c * frames * size * size];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rng.nextGaussian();
    }
    NDArray input =
        stream == StreamKind.IMAGE
            ? manager.create(px, new Shape(b, c, size, size))
            : manager.create(px, new Shape(b, c, frames, size, size));
    boolean[] mask = new boolean[b * mg.size()];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = i % mg.size() == 0 || (i % mg.size() != 1 && rng.nextBoolean());
    }
    NDArray m4 = manager.create(mask, new Shape(b, mg.t(), mg.h(), mg.w()));
    NDArray target = NearestResize.resize(m4, 1, tg.t(), tg.h(), tg.w()).reshape(-1);
    long[] labels = new long[b * tg.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rng.nextInt(VOCAB);
    }
    NDArray mask4 = stream == StreamKind.IMAGE ? m4.reshape(b, mg.h(), mg.w()) : m4;
    return new Batch(input, mask4, target, manager.create(labels));
  }

  /** Masked CE of one stream (mean over its masked targets). */
  NDArray loss(StreamKind stream) {
    Batch bt = batches.get(stream);
    BackboneOutput out =
        stream == StreamKind.IMAGE
            ? model.forwardImage(bt.input(), bt.mask(), true)
            : model.forwardVideo(bt.input(), bt.mask(), true);
    NDArray feats = (stream == StreamKind.IMAGE ? imageDecoder : videoDecoder).decode(out, true);
    NDArray logits = head.forward(feats).reshape(-1, VOCAB);
    NDArray sel = logits.get(new NDIndex("{}", bt.targetMask()));
    NDArray lab = bt.labels().get(new NDIndex("{}", bt.targetMask()));
    NDArray logp = sel.logSoftmax(1);
    // Scalars, not div(Number): autograd keeps the divisor (see Scalars)
    return Scalars.div(logp.mul(lab.oneHot(VOCAB).toType(DataType.FLOAT32, false)).sum().neg(), sel.getShape().get(0));
  }

  NDArray loss(Set<StreamKind> streams) {
    NDArray total = null;
    for (StreamKind s : streams) {
      NDArray l = loss(s);
      total = total == null ? l : total.add(l);
    }
    return total;
  }

  /** Every trainable parameter of backbone, decoders and head, under distinct names. */
  Map<String, Param> parameters() {
    Map<String, Param> all = new LinkedHashMap<>();
    model.namedParameters().forEach((k, v) -> all.put("backbone." + k, v));
    imageDecoder.namedParameters().forEach((k, v) -> all.put("decoder.image." + k, v));
    videoDecoder.namedParameters().forEach((k, v) -> all.put("decoder.video." + k, v));
    head.namedParameters().forEach((k, v) -> all.put("lm_head." + k, v));
    return all;
  }

  Batch batch(StreamKind s) {
    return batches.get(s);
  }
}
