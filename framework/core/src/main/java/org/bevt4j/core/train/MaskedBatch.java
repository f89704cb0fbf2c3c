package org.bevt4j.core.train;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;

/**
 * One stream's micro-batch on the host, ready for the device: stacked inputs and tokenizer inputs,
 * the masks drawn on the backbone's mask grid, and the flat indices of the masked target positions
 * (the mask nearest-upsampled from the mask grid to the decoder's target grid).
 *
 * @param stream the stream
 * @param batch number of samples B
 * @param inputShape {@code (B,3,T,H,W)} or {@code (B,3,H,W)}
 * @param input the stacked inputs
 * @param tokenizerShape {@code (B·T,3,h,w)} or {@code (B,3,h,w)}
 * @param tokenizerInput the stacked tokenizer inputs in [0, 1]
 * @param maskGrid the backbone's mask grid
 * @param targetGrid the decoder's target grid (= the tokenizer grid over all frames)
 * @param masks {@code B × maskGrid.size()} flags, (t,h,w) order per sample
 * @param maskedIndex flat indices into {@code B × targetGrid.size()} of the masked targets
 */
public record MaskedBatch(
    StreamKind stream,
    int batch,
    long[] inputShape,
    float[] input,
    long[] tokenizerShape,
    float[] tokenizerInput,
    TokenGrid maskGrid,
    TokenGrid targetGrid,
    boolean[] masks,
    long[] maskedIndex) {

  /** Shape of the boolean mask array the backbone takes: {@code (B,t,h,w)} or {@code (B,h,w)}. */
  public long[] maskShape() {
    return stream == StreamKind.VIDEO
        ? new long[] {batch, maskGrid.t(), maskGrid.h(), maskGrid.w()}
        : new long[] {batch, maskGrid.h(), maskGrid.w()};
  }

  /**
   * Stacks samples, checks the grids and draws the masks.
   *
   * @param rngForSample the mask RNG of the i-th sample of this micro-batch
   */
  public static MaskedBatch prepare(
      StreamKind stream, List<Sample> samples, PretrainComponents c, IntFunction<RandomGenerator> rngForSample) {
    if (samples.isEmpty()) {
      throw new BevtException("empty " + stream.configName() + " batch");
    }
    boolean video = stream == StreamKind.VIDEO;
    int b = samples.size();
    Sample first = samples.get(0);
    HostTensor in0 = first.input();
    int rank = video ? 4 : 3;
    if (in0.rank() != rank || in0.dim(0) != 3) {
      throw new BevtException(
          stream.configName() + " sample " + first.source() + " has input shape " + Arrays.toString(in0.shape())
              + "; expected " + (video ? "(3, T, H, W)" : "(3, H, W)"));
    }
    int frames = video ? (int) in0.dim(1) : 1;
    int height = (int) in0.dim(-2);
    int width = (int) in0.dim(-1);
    HostTensor tok0 = first.tokenizerInput();
    if (tok0 == null) {
      throw new BevtException(stream.configName() + " sample " + first.source() + " has no tokenizer input; the dataset must provide it for pretraining");
    }
    if (tok0.rank() != 4 || tok0.dim(0) != frames || tok0.dim(1) != 3) {
      throw new BevtException(
          stream.configName() + " sample " + first.source() + " has tokenizer input shape " + Arrays.toString(tok0.shape())
              + "; expected (" + frames + ", 3, h, w)");
    }
    int th = (int) tok0.dim(2);
    int tw = (int) tok0.dim(3);
    float[] input = stack(samples, true, in0.shape());
    float[] tok = stack(samples, false, tok0.shape());

    TokenGrid maskGrid = c.backbone().maskGrid(stream, frames, height, width);
    Decoder d = c.decoder(stream);
    TokenGrid target = d.targetGrid(maskGrid);
    TokenGrid tokGrid = c.tokenizer().grid(th, tw);
    TokenGrid expected = new TokenGrid(frames, tokGrid.h(), tokGrid.w());
    if (!target.equals(expected)) {
      throw new BevtException(
          stream.configName() + " decoder " + d.getClass().getSimpleName() + " predicts a " + target + " target grid (for the "
              + maskGrid + " mask grid of " + frames + "x" + height + "x" + width + " input), but the tokenizer "
              + c.tokenizer().getClass().getSimpleName() + " gives " + expected + " (" + frames + " frame(s) of " + tokGrid.h() + "x"
              + tokGrid.w() + " tokens for " + th + "x" + tw + " tokenizer input); they must match");
    }
    if (!video && maskGrid.t() != 1) {
      throw new BevtException("backbone mask grid for images must have t = 1, got " + maskGrid);
    }
    int ms = maskGrid.size();
    boolean[] masks = new boolean[b * ms];
    int[] up = upsampleMap(maskGrid, target);
    long[] idx = new long[b * target.size()];
    int count = 0;
    for (int i = 0; i < b; i++) {
      boolean[] m = c.masker(stream).sample(maskGrid, rngForSample.apply(i));
      if (m.length != ms) {
        throw new BevtException(
            stream.configName() + " masker " + c.masker(stream).getClass().getSimpleName() + " returned " + m.length + " flags for the "
                + maskGrid + " grid (" + ms + " expected)");
      }
      System.arraycopy(m, 0, masks, i * ms, ms);
      for (int j = 0; j < up.length; j++) {
        if (m[up[j]]) {
          idx[count++] = (long) i * target.size() + j;
        }
      }
    }
    long[] inShape = video ? new long[] {b, 3, frames, height, width} : new long[] {b, 3, height, width};
    long[] tokShape = {(long) b * frames, 3, th, tw};
    return new MaskedBatch(stream, b, inShape, input, tokShape, tok, maskGrid, target, masks, Arrays.copyOf(idx, count));
  }

  /**
   * For each target position, the mask-grid position it takes its flag from (nearest): how a mask
   * on the backbone's mask grid becomes a mask on the (finer or equal) target token grid.
   */
  public static int[] upsampleMap(TokenGrid from, TokenGrid to) {
    int[] map = new int[to.size()];
    int k = 0;
    for (int t = 0; t < to.t(); t++) {
      int st = (int) ((long) t * from.t() / to.t());
      for (int h = 0; h < to.h(); h++) {
        int sh = (int) ((long) h * from.h() / to.h());
        for (int w = 0; w < to.w(); w++) {
          int sw = (int) ((long) w * from.w() / to.w());
          map[k++] = (st * from.h() + sh) * from.w() + sw;
        }
      }
    }
    return map;
  }

  private static float[] stack(List<Sample> samples, boolean input, long[] shape) {
    int per = Math.toIntExact(numel(shape));
    float[] out = new float[Math.multiplyExact(per, samples.size())];
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      HostTensor t = input ? s.input() : s.tokenizerInput();
      if (t == null || !Arrays.equals(t.shape(), shape)) {
        throw new BevtException(
            "sample " + s.source() + ": " + (input ? "input" : "tokenizer input") + " shape "
                + (t == null ? "missing" : Arrays.toString(t.shape())) + " differs from the batch's " + Arrays.toString(shape));
      }
      System.arraycopy(t.data(), 0, out, i * per, per);
    }
    return out;
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }
}
