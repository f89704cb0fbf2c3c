package org.bevt4j.testkit;

import ai.djl.ndarray.NDArray;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Linear;
import org.bevt4j.nn.Module;

/** A linear decoder on the tiny backbone's tokens; {@code wrongGrid} makes it claim a doubled grid. */
final class TinyDecoder extends Module implements Decoder {
  private final Linear fc;
  private final boolean wrongGrid;

  TinyDecoder(boolean wrongGrid) {
    this.fc = child("fc", new Linear(TinyBackbone.DIM, TinyBackbone.DIM, true));
    this.wrongGrid = wrongGrid;
  }

  @Override
  public NDArray decode(BackboneOutput output, boolean training) {
    return fc.forward(output.get("tokens").features());
  }

  @Override
  public int featureDim() {
    return TinyBackbone.DIM;
  }

  @Override
  public TokenGrid targetGrid(TokenGrid maskGrid) {
    return wrongGrid ? new TokenGrid(maskGrid.t() * 2, maskGrid.h(), maskGrid.w()) : maskGrid;
  }
}
