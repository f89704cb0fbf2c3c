package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;
import org.bevt4j.api.tokenizer.FeatureNetwork;

/** A frozen two-layer random conv net: a stand-in perceptual network for tests. */
final class RandomConvFeatures implements FeatureNetwork {
  private final NDArray w1;
  private final NDArray w2;

  RandomConvFeatures(NDManager m) {
    w1 = m.randomNormal(0f, 0.3f, new Shape(8, 3, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
    w2 = m.randomNormal(0f, 0.2f, new Shape(8, 8, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
  }

  @Override
  public String describe() {
    return "random-conv";
  }

  @Override
  public List<NDArray> features(NDArray pixels) {
    NDArray a = Activation.relu(Conv2d.conv2d(pixels, w1, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
    NDArray b = Activation.relu(Conv2d.conv2d(a, w2, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
    return List.of(a, b);
  }
}
