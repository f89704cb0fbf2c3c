package org.bevt4j.api;

import ai.djl.ndarray.NDArray;
import org.bevt4j.nn.ParameterOwner;

/**
 * Maps a {@link BackboneOutput} to per-target-token features {@code (B, N, D)}, N being the
 * tokenizer grid of that stream (BEVT: 14x14 per image, 16x14x14 per clip), in (t, h, w) order. The
 * output is final: it already went through the normalisation the backbone defines (BEVT: the
 * backbone's shared {@code norm}), so the trainer only adds the linear vocabulary head.
 *
 * <p>A decoder's parameters keep upstream names (e.g. {@code fpn.0.weight}); they may be shared
 * with the backbone (then the backbone owns them and the decoder lists none).
 */
@Stable
public interface Decoder extends ParameterOwner {
  NDArray decode(BackboneOutput output, boolean training);

  /** D, the width of the decoded features. */
  int featureDim();

  /** The target grid decoded for a given mask grid (e.g. video 8x14x14 gives 16x14x14). */
  TokenGrid targetGrid(TokenGrid maskGrid);
}
