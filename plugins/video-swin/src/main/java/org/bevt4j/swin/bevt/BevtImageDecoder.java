package org.bevt4j.swin.bevt;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Param;

/**
 * BEVT's image decoder ({@link BevtHeads#decodeImage}); its parameters ({@code fpn.0.*}, {@code
 * lm_down.*}, {@code norm.*}) belong to the backbone, so {@link #namedParameters()} is empty. The
 * target grid equals the mask grid (14x14 for 224 px).
 */
public final class BevtImageDecoder implements Decoder {
  private final BevtHeads heads;

  public BevtImageDecoder(BevtHeads heads) {
    this.heads = heads;
  }

  @Override
  public NDArray decode(BackboneOutput output, boolean training) {
    return heads.decodeImage(output);
  }

  @Override
  public int featureDim() {
    return heads.featureDim();
  }

  @Override
  public TokenGrid targetGrid(TokenGrid maskGrid) {
    return TokenGrid.image(maskGrid.h(), maskGrid.w());
  }

  @Override
  public Map<String, Param> namedParameters() {
    return Map.of();
  }
}
