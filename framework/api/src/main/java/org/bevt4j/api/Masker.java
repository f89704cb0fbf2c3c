package org.bevt4j.api;

import java.util.random.RandomGenerator;

/** Draws one sample's boolean mask over a token grid, flattened in (t, h, w) order. */
@Stable
public interface Masker {
  boolean[] sample(TokenGrid grid, RandomGenerator rng);
}
