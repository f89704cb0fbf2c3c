package org.bevt4j.swin.bevt;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Param;

/**
 * BEVT's video decoder ({@link BevtHeads#decodeVideo}); its parameters ({@code fpn_s.0.*}, {@code
 * lm_down_st.0.*}, {@code fpn_t.0.*}, {@code norm.*}) belong to the backbone, so {@link
 * #namedParameters()} is empty. {@code fpn_t} doubles time: mask grid (t, h, w) gives target grid
 * (2t, h, w) (8x14x14 → 16x14x14 for 16x224x224 clips).
 */
public final class BevtVideoDecoder implements Decoder {
  private final BevtHeads heads;

  public BevtVideoDecoder(BevtHeads heads) {
    this.heads = heads;
  }

  @Override
  public NDArray decode(BackboneOutput output, boolean training) {
    return heads.decodeVideo(output);
  }

  @Override
  public int featureDim() {
    return heads.featureDim();
  }

  @Override
  public TokenGrid targetGrid(TokenGrid maskGrid) {
    return new TokenGrid(maskGrid.t() * heads.temporalFactor(), maskGrid.h(), maskGrid.w());
  }

  @Override
  public Map<String, Param> namedParameters() {
    return Map.of();
  }
}
