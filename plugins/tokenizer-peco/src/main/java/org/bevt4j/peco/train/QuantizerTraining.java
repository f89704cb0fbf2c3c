package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.NDManagerUtil;
import org.bevt4j.nn.Param;
import org.bevt4j.nn.Scalars;
import org.bevt4j.peco.VectorQuantizer;

/**
 * Training of a {@link VectorQuantizer}: nearest-code assignment, the straight-through estimator
 * {@code z + sg(z_q − z)}, the codebook and commitment losses, the optional EMA codebook and
 * dead-code restarts. Its buffers (names relative to this module): {@code cluster_size (K)} and
 * {@code embed_avg (K, D)} (EMA only) and {@code unused_steps (K)} (restarts only).
 *
 * <p>{@link #quantize} runs inside the gradient collector and remembers the step's assignments;
 * {@link #afterStep} (outside the collector, same scope) applies the EMA update and the restarts.
 * The EMA statistics start at one pseudo-assignment per code at its initial position
 * ({@code cluster_size = 1}, {@code embed_avg = codebook}), so a code that is not used stays where
 * it is instead of being divided by ~ε.
 */
public final class QuantizerTraining extends Module {
  /** The result of quantising a batch of latents. */
  public record Quantized(NDArray zqSt, NDArray ids, NDArray codebookLoss, NDArray commitLoss, NDArray perplexity) {}

  private final VectorQuantizer vq;
  private final CodebookSettings settings;
  private final Param clusterSize;
  private final Param embedAvg;
  private final Param unusedSteps;
  private NDArray countAccumulator;
  private NDArray lastFlat;
  private NDArray lastCounts;
  private NDArray lastSums;

  public QuantizerTraining(VectorQuantizer vq, CodebookSettings settings) {
    this.vq = vq;
    this.settings = settings;
    int k = vq.nEmbed();
    clusterSize = settings.ema() ? buffer("cluster_size", new Shape(k), Init.ones()) : null;
    embedAvg = settings.ema() ? buffer("embed_avg", new Shape(k, vq.embedDim()), Init.zeros()) : null;
    unusedSteps = settings.restartAfter() > 0 ? buffer("unused_steps", new Shape(k), Init.zeros()) : null;
  }

  /**
   * Creates the buffers (after the quantizer's codebook exists): {@code embed_avg} starts as a copy
   * of the codebook; the codebook stops being a trainable parameter under EMA.
   */
  @Override
  public void initialize(NDManager manager) {
    super.initialize(manager);
    if (settings.ema()) {
      embedAvg.copyFrom(vq.codebook().array());
      vq.codebook().setTrainable(false);
    }
    countAccumulator = NDManagerUtil.detachFromScope(manager.zeros(new Shape(vq.nEmbed()), DataType.FLOAT32));
  }

  public CodebookSettings settings() {
    return settings;
  }

  /** Quantises {@code z (B, D, h, w)}; called inside the gradient collector. */
  public Quantized quantize(NDArray z) {
    Shape s = z.getShape();
    NDArray flat = vq.flatten(z.stopGradient());
    NDArray ids = vq.nearest(flat, Math.max(1, (1L << 24) / vq.nEmbed()));
    NDArray zq = vq.lookup(ids.reshape(s.get(0), s.get(2), s.get(3)));
    NDArray commit = Scalars.mul(z.sub(zq.stopGradient()).square().mean(), settings.beta());
    NDArray codebook = settings.ema() ? z.getManager().zeros(new Shape()) : zq.sub(z.stopGradient()).square().mean();
    NDArray zqSt = z.add(zq.sub(z).stopGradient());
    NDArray onehot = ids.oneHot(vq.nEmbed());
    NDArray counts = onehot.sum(new int[] {0});
    countAccumulator.addi(counts);
    NDArray p = counts.div((float) ids.getShape().get(0));
    NDArray perplexity = p.mul(p.add(1e-10f).log()).sum().neg().exp();
    lastFlat = flat;
    lastCounts = counts;
    lastSums = settings.ema() ? onehot.transpose().matMul(flat) : null;
    return new Quantized(zqSt, ids.reshape(s.get(0), s.get(2), s.get(3)), codebook, commit, perplexity);
  }

  /**
   * EMA codebook update and dead-code restarts for the last {@link #quantize}, or, after step 0 with
   * {@code initFromData}, the data-dependent initialisation of every code; outside the collector.
   */
  public void afterStep(long step) {
    if (lastCounts == null) {
      return;
    }
    if (step == 0 && settings.initFromData()) {
      restart(lastFlat.getManager().ones(new Shape(vq.nEmbed())));
    } else if (settings.ema()) {
      NDArray cb = EmaCodebook.update(clusterSize.array(), embedAvg.array(), lastCounts, lastSums, settings.emaDecay(), settings.emaEps());
      assign(vq.codebook().array(), cb);
    }
    if (unusedSteps != null && !(step == 0 && settings.initFromData())) {
      restartDeadCodes();
    }
    lastFlat = null;
    lastCounts = null;
    lastSums = null;
  }

  private void restartDeadCodes() {
    NDArray unused = unusedSteps.array();
    NDArray used = lastCounts.gt(0f).toType(DataType.FLOAT32, false);
    unused.addi(1f).muli(used.neg().add(1f));
    NDArray dead = unused.gte((float) settings.restartAfter()).toType(DataType.FLOAT32, false);
    if (dead.sum().getFloat() > 0f) {
      restart(dead);
    }
  }

  /** Re-initialises the codes where {@code dead (K)} is 1 from random rows of the last batch. */
  private void restart(NDArray dead) {
    long rows = lastFlat.getShape().get(0);
    NDArray pick = lastFlat.getManager().randomInteger(0, rows, new Shape(vq.nEmbed()), DataType.INT64);
    NDArray replacement = lastFlat.get(new NDIndex("{}", pick));
    NDArray deadCol = dead.expandDims(1);
    NDArray keepCol = deadCol.neg().add(1f);
    NDArray cb = vq.codebook().array();
    assign(cb, cb.mul(keepCol).add(replacement.mul(deadCol)));
    if (settings.ema()) {
      NDArray cs = clusterSize.array();
      assign(cs, cs.mul(dead.neg().add(1f)).add(dead));
      NDArray ea = embedAvg.array();
      assign(ea, ea.mul(keepCol).add(replacement.mul(deadCol)));
    }
    if (unusedSteps != null) {
      NDArray unused = unusedSteps.array();
      assign(unused, unused.mul(dead.neg().add(1f)));
    }
  }

  /** Per-code assignment counts since the previous call; resets them. */
  public long[] takeCounts() {
    float[] c = countAccumulator.toFloatArray();
    countAccumulator.muli(0f);
    long[] out = new long[c.length];
    for (int i = 0; i < c.length; i++) {
      out[i] = Math.round(c[i]);
    }
    return out;
  }

  /** Overwrites {@code target} in place with {@code value} (same shape), keeping its identity. */
  static void assign(NDArray target, NDArray value) {
    target.set(new NDIndex(":"), value);
  }
}
