package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Init;
import org.bevt4j.nn.Module;
import org.bevt4j.nn.Ops;
import org.bevt4j.nn.Param;

/**
 * taming {@code VectorQuantizer2} (nearest-codebook lookup, no remap), key {@code embedding.weight}
 * {@code (n_e, e_dim)}. For {@code z (B, C, H, W)} laid out as rows {@code (b, h, w)}, the squared
 * distances are {@code |z|^2 + |e|^2 - 2 z.e} (same order of operations as upstream), the id is the
 * argmin over the codes (ties go to the first index) and {@code z_q = embedding[ids]}. The
 * straight-through estimator and the commitment loss are training-only and not part of encoding.
 */
public final class VectorQuantizer extends Module {
  /** Rows of the distance matrix computed at once when only ids are needed (bounds memory). */
  private static final long CHUNK_ELEMENTS = 1L << 24;

  private final int nEmbed;
  private final int embedDim;
  private final Param embedding;

  public VectorQuantizer(int nEmbed, int embedDim) {
    if (nEmbed < 1 || embedDim < 1) {
      throw new IllegalArgumentException(
          "VectorQuantizer: n_embed = " + nEmbed + " and embed_dim = " + embedDim + " must be >= 1");
    }
    this.nEmbed = nEmbed;
    this.embedDim = embedDim;
    // upstream: embedding.weight.data.uniform_(-1/n_e, 1/n_e)
    this.embedding = child("embedding", new Embedding(nEmbed, embedDim)).weight;
  }

  public int nEmbed() {
    return nEmbed;
  }

  public int embedDim() {
    return embedDim;
  }

  /** The codebook {@code (n_e, e_dim)}. */
  public Param codebook() {
    return embedding;
  }

  /** {@code z (B, C, H, W)} as rows {@code (B*H*W, C)} in (b, h, w) order. */
  public NDArray flatten(NDArray z) {
    checkChannels(z);
    return z.transpose(0, 2, 3, 1).reshape(-1, embedDim);
  }

  /** Squared distances {@code (M, n_e)} of rows {@code zFlat (M, e_dim)} to every code. */
  public NDArray distances(NDArray zFlat) {
    NDArray e = embedding.array();
    NDArray zz = zFlat.square().sum(new int[] {1}, true);
    NDArray ee = e.square().sum(new int[] {1});
    return zz.add(ee).sub(org.bevt4j.nn.Scalars.mul(zFlat.matMul(e.transpose()), 2));
  }

  /** Nearest-code ids {@code (B, H, W)} int64 for {@code z (B, C, H, W)}, in bounded row chunks. */
  public NDArray ids(NDArray z) {
    Shape s = z.getShape();
    NDArray flat = flatten(z);
    return nearest(flat, Math.max(1, CHUNK_ELEMENTS / nEmbed)).reshape(s.get(0), s.get(2), s.get(3));
  }

  /**
   * Nearest-code ids {@code (M)} of rows {@code zFlat (M, e_dim)}, computing at most
   * {@code chunkRows} rows of the distance matrix at a time (same result as the argmin of {@link
   * #distances}).
   */
  public NDArray nearest(NDArray zFlat, long chunkRows) {
    long rows = zFlat.getShape().get(0);
    if (rows <= chunkRows) {
      return distances(zFlat).argMin(1);
    }
    NDList parts = new NDList();
    for (long r = 0; r < rows; r += chunkRows) {
      parts.add(distances(Ops.slice(zFlat, 0, r, Math.min(rows, r + chunkRows))).argMin(1));
    }
    return NDArrays.concat(parts, 0);
  }

  /** {@code z_q (B, e_dim, H, W)}: the codes of {@code ids (B, H, W)}. */
  public NDArray lookup(NDArray ids) {
    Shape s = ids.getShape();
    NDArray rows = embedding.array().get(new NDIndex("{}", ids.reshape(-1)));
    return rows.reshape(s.get(0), s.get(1), s.get(2), embedDim).transpose(0, 3, 1, 2);
  }

  private void checkChannels(NDArray z) {
    Shape s = z.getShape();
    if (s.dimension() != 4 || s.get(1) != embedDim) {
      throw new IllegalArgumentException(
          "VectorQuantizer: expected z (B, " + embedDim + ", H, W), found " + s);
    }
  }

  /** {@code nn.Embedding(n_e, e_dim)}: key {@code weight}. */
  private static final class Embedding extends Module {
    final Param weight;

    Embedding(int n, int d) {
      weight = param("weight", new Shape(n, d), Init.uniform(1.0 / n));
    }
  }
}
