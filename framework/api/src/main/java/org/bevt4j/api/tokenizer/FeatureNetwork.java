package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A frozen network whose multi-scale deep features define a perceptual distance between images
 * (PeCo's perceptual loss). Its own parameters never receive gradients, but gradients flow through
 * it to the input, so a reconstruction can be trained to match the features of its target.
 */
@Experimental
public interface FeatureNetwork extends AutoCloseable {
  /** A short description for logs (type, weights, layers). */
  String describe();

  /**
   * Feature maps, shallow to deep, each {@code (N, C_l, H_l, W_l)}, for {@code pixels (N, 3, H, W)}
   * in [0, 1]; the network applies its own input convention and resizing.
   */
  List<NDArray> features(NDArray pixels);

  /** Releases native resources held outside the manager (the default holds none). */
  @Override
  default void close() {}
}
