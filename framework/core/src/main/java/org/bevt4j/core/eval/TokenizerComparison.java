package org.bevt4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.nn.Ops;

/**
 * Compares tokenizers on the same frames: codebook usage and perplexity, agreement between each pair
 * (normalised mutual information of their ids at the same positions, after nearest resampling to a
 * common grid), stability of ids under a one-token shift, a sub-token shift, a horizontal flip and a
 * small brightness change, and mutual information of ids with labels when labels are given.
 */
public final class TokenizerComparison {
  /** One tokenizer's results. */
  public record Row(
      String name,
      int vocab,
      String grid,
      double usage,
      double perplexity,
      double shiftStability,
      double subTokenShiftStability,
      double flipStability,
      double brightnessStability,
      double labelMutualInformation) {}

  /** All results: per-tokenizer rows and the pairwise NMI matrix. */
  public record Report(List<Row> rows, double[][] pairwiseNmi) {
    /** A markdown table. */
    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append("| tokenizer | vocab | grid | codebook usage | perplexity | stable: 1-token shift | stable: sub-token shift | stable: flip | stable: brightness | I(id; label) bits |\n");
      sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Row r : rows) {
        sb.append(String.format(
            "| %s | %d | %s | %.1f%% | %.1f | %.3f | %.3f | %.3f | %.3f | %s |%n",
            r.name, r.vocab, r.grid, 100 * r.usage, r.perplexity, r.shiftStability, r.subTokenShiftStability,
            r.flipStability, r.brightnessStability, Double.isNaN(r.labelMutualInformation) ? "n/a" : String.format("%.3f", r.labelMutualInformation)));
      }
      if (rows.size() > 1) {
        sb.append("\nPairwise agreement (normalised mutual information of ids at the same positions):\n\n| |");
        rows.forEach(r -> sb.append(' ').append(r.name).append(" |"));
        sb.append("\n|---|");
        rows.forEach(r -> sb.append("---:|"));
        sb.append('\n');
        for (int i = 0; i < rows.size(); i++) {
          sb.append("| ").append(rows.get(i).name).append(" |");
          for (int j = 0; j < rows.size(); j++) {
            sb.append(String.format(" %.3f |", pairwiseNmi[i][j]));
          }
          sb.append('\n');
        }
      }
      return sb.toString();
    }
  }

  private TokenizerComparison() {}

  /**
   * Runs the comparison.
   *
   * @param tokenizers name to tokenizer
   * @param frames (N, 3, H, W) in [0, 1]; each tokenizer gets them resized to its input size
   * @param labels per-frame labels, or null
   */
  public static Report compare(Map<String, Tokenizer> tokenizers, NDArray frames, int[] labels) {
    List<Row> rows = new ArrayList<>();
    Map<String, long[][]> idMaps = new LinkedHashMap<>();
    Map<String, TokenGrid> grids = new LinkedHashMap<>();
    for (Map.Entry<String, Tokenizer> e : tokenizers.entrySet()) {
      Tokenizer tok = e.getValue();
      try (NDScope scope = new NDScope()) {
        NDArray x = resize(frames, tok.inputSize());
        int size = tok.inputSize();
        TokenGrid grid = tok.grid(size, size);
        int stride = size / grid.w();
        long[] base = encode(tok, x);
        long[] shifted = encode(tok, shiftLeft(x, stride));
        long[] subShifted = encode(tok, shiftLeft(x, Math.max(1, stride / 4)));
        long[] flipped = encode(tok, x.flip(3));
        long[] brighter = encode(tok, x.add(0.05f).clip(0f, 1f));
        int n = (int) x.getShape().get(0);
        double mi = Double.NaN;
        if (labels != null) {
          long[] lab = new long[base.length];
          int per = grid.plane();
          for (int i = 0; i < base.length; i++) {
            lab[i] = labels[i / per];
          }
          mi = TokenStatistics.mutualInformation(base, lab);
        }
        rows.add(new Row(
            e.getKey(), tok.vocabSize(), grid.h() + "x" + grid.w(),
            TokenStatistics.codebookUsage(base, tok.vocabSize()), TokenStatistics.perplexity(base),
            shiftAgreement(base, shifted, n, grid.h(), grid.w(), 1),
            TokenStatistics.agreement(base, subShifted),
            flipAgreement(base, flipped, n, grid.h(), grid.w()),
            TokenStatistics.agreement(base, brighter), mi));
        idMaps.put(e.getKey(), toGrid(base, n, grid.plane()));
        grids.put(e.getKey(), grid);
      }
    }
    List<String> names = new ArrayList<>(idMaps.keySet());
    double[][] nmi = new double[names.size()][names.size()];
    for (int i = 0; i < names.size(); i++) {
      for (int j = 0; j < names.size(); j++) {
        TokenGrid gi = grids.get(names.get(i));
        TokenGrid gj = grids.get(names.get(j));
        int h = Math.min(gi.h(), gj.h());
        int w = Math.min(gi.w(), gj.w());
        nmi[i][j] = TokenStatistics.normalisedMutualInformation(
            resample(idMaps.get(names.get(i)), gi, h, w), resample(idMaps.get(names.get(j)), gj, h, w));
      }
    }
    return new Report(rows, nmi);
  }

  private static long[] encode(Tokenizer tok, NDArray x) {
    return tok.encode(x).toType(DataType.INT64, false).toLongArray();
  }

  /**
   * Frames {@code (N, 3, H, W)} resized to {@code size x size} the way the comparison feeds each
   * tokenizer: torch "area" interpolation when shrinking, bilinear when enlarging.
   */
  public static NDArray resize(NDArray frames, int size) {
    long h = frames.getShape().get(2);
    long w = frames.getShape().get(3);
    if (h == size && w == size) {
      return frames;
    }
    // DJL mode 2 = torch "area" (anti-aliased when shrinking), 1 = bilinear when enlarging
    int mode = h > size || w > size ? 2 : 1;
    return frames.getNDArrayInternal().interpolation(new long[] {size, size}, mode, false);
  }

  /** Content moved left by {@code px} pixels, right border repeated. */
  private static NDArray shiftLeft(NDArray x, int px) {
    long w = x.getShape().get(3);
    NDArray body = Ops.slice(x, 3, px, w);
    NDArray edge = Ops.slice(x, 3, w - 1, w).repeat(3, px);
    return NDArrays.concat(new NDList(body, edge), 3);
  }

  /** Agreement of id[i][j+k] (original) with id'[i][j] (shifted left by k tokens) over the overlap. */
  static double shiftAgreement(long[] a, long[] b, int n, int h, int w, int k) {
    int same = 0;
    int total = 0;
    for (int f = 0; f < n; f++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j + k < w - 1; j++) {
          total++;
          if (a[f * h * w + i * w + j + k] == b[f * h * w + i * w + j]) {
            same++;
          }
        }
      }
    }
    return total == 0 ? 0 : same / (double) total;
  }

  /** Agreement of id[i][j] with the flipped map's id[i][w-1-j]. */
  static double flipAgreement(long[] a, long[] b, int n, int h, int w) {
    int same = 0;
    for (int f = 0; f < n; f++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          if (a[f * h * w + i * w + j] == b[f * h * w + i * w + (w - 1 - j)]) {
            same++;
          }
        }
      }
    }
    return same / (double) (n * h * w);
  }

  private static long[][] toGrid(long[] flat, int n, int plane) {
    long[][] out = new long[n][plane];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * plane, out[i], 0, plane);
    }
    return out;
  }

  /** Nearest resampling of each frame's (gh, gw) id map to (h, w), flattened. */
  private static long[] resample(long[][] maps, TokenGrid g, int h, int w) {
    long[] out = new long[maps.length * h * w];
    for (int f = 0; f < maps.length; f++) {
      for (int i = 0; i < h; i++) {
        int si = (int) Math.floor(i * (double) g.h() / h);
        for (int j = 0; j < w; j++) {
          int sj = (int) Math.floor(j * (double) g.w() / w);
          out[f * h * w + i * w + j] = maps[f][si * g.w() + sj];
        }
      }
    }
    return out;
  }
}
