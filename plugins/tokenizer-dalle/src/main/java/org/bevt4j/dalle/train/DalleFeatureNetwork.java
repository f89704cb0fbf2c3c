package org.bevt4j.dalle.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.dalle.DalleEncoder;
import org.bevt4j.nn.Scalars;

/**
 * A frozen DALL-E encoder as a perceptual feature network: pixels in [0, 1] go through
 * {@code map_pixels}, and the outputs of the chosen stages ({@code blocks.input},
 * {@code blocks.group_1} .. {@code blocks.group_4}) are the features. With the released
 * {@code encoder.pkl} weights these are deep features of a network trained on 250M images; with
 * random weights they are multi-scale random ReLU-conv features.
 */
public final class DalleFeatureNetwork implements FeatureNetwork {
  private final DalleEncoder encoder;
  private final List<String> stages;
  private final double eps;
  private final String description;

  public DalleFeatureNetwork(DalleEncoder encoder, List<String> stages, double eps, String description) {
    encoder.setTrainable(false);
    this.encoder = encoder;
    this.stages = List.copyOf(stages);
    this.eps = eps;
    this.description = description;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public List<NDArray> features(NDArray pixels) {
    return encoder.stageOutputs(Scalars.add(Scalars.mul(pixels, 1 - 2 * eps), eps), stages);
  }
}
