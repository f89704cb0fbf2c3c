package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;

/**
 * Everything the encode path of a VQ model computes, for conformance tests and visualisation.
 *
 * @param h encoder output {@code (N, z_channels, h, w)}
 * @param z {@code quant_conv(h)}, {@code (N, embed_dim, h, w)}
 * @param ids nearest-code ids {@code (N, h, w)} int64
 * @param zq the chosen codes {@code (N, embed_dim, h, w)}
 * @param distances squared distances {@code (N*h*w, n_embed)}, rows in (n, h, w) order
 */
public record VqEncoding(NDArray h, NDArray z, NDArray ids, NDArray zq, NDArray distances) {
  /** All five arrays, in declaration order. */
  public NDArray[] arrays() {
    return new NDArray[] {h, z, ids, zq, distances};
  }
}
