package org.bevt4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.DropPath;
import org.bevt4j.nn.LayerNorm;
import org.bevt4j.nn.Module;

/**
 * A small 3-D convolutional video backbone for fine-tuning tests that must learn the synthetic
 * motion classes from scratch within a few hundred steps. Trained from scratch on little data, small
 * transformers and plain 3-D CNNs stay at chance for a long time on these clips (appearance varies
 * far more than motion), so the stem sees each frame together with its difference to the previous
 * one (the "RGB + RGB-difference" input of TSN): {@code patch_embed.proj} (6 -> C/2, 3x3x3, spatial
 * stride 2) on {@code [x_t, x_t - x_(t-1)]}, {@code blocks.0.conv} (3x3x3, stride 2), residual 3x3x3
 * {@code blocks.<i>.conv} with stochastic depth, GELU after each, and a final {@code norm} over
 * channels. Parameter names follow the ViT convention, so layer-wise decay applies. Output:
 * {@code (B, C, ceil((T-1)/2), H/4, W/4)}.
 */
public final class TinyVideoCNN extends Module implements Backbone {
  private final int width;
  private final Conv stem;
  private final Conv down;
  private final Conv[] blocks;
  private final double[] dropPath;
  private final LayerNorm norm;

  public TinyVideoCNN(int width, int residualBlocks, double dropPathRate) {
    this.width = width;
    this.stem = child("patch_embed.proj", Conv.builder(6, width / 2, 3, 3, 3).optStride(1, 2, 2).optPadding(1, 1, 1).build());
    this.down = child("blocks.0.conv", Conv.builder(width / 2, width, 3, 3, 3).optStride(2, 2, 2).optPadding(1, 1, 1).build());
    this.blocks = new Conv[residualBlocks];
    this.dropPath = DropPath.schedule(dropPathRate, residualBlocks + 1);
    for (int i = 0; i < residualBlocks; i++) {
      blocks[i] = child("blocks." + (i + 1) + ".conv", Conv.builder(width, width, 3, 3, 3).optPadding(1, 1, 1).build());
    }
    this.norm = child("norm", new LayerNorm(width));
  }

  @Override
  public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
    if (mask != null) {
      throw new UnsupportedOperationException("TinyVideoCNN has no mask token");
    }
    long t = video.getShape().get(2);
    NDArray next = video.get(new ai.djl.ndarray.index.NDIndex(":, :, 1:"));
    NDArray diff = next.sub(video.get(new ai.djl.ndarray.index.NDIndex(":, :, :{}", t - 1)));
    NDArray x = Activation.gelu(stem.forward(next.concat(diff, 1)));
    x = Activation.gelu(down.forward(x));
    for (int i = 0; i < blocks.length; i++) {
      x = x.add(DropPath.apply(Activation.gelu(blocks[i].forward(x)), dropPath[i + 1], training));
    }
    Shape s = x.getShape();
    x = norm.forward(x.transpose(0, 2, 3, 4, 1)).transpose(0, 4, 1, 2, 3);
    TokenGrid g = new TokenGrid((int) s.get(2), (int) s.get(3), (int) s.get(4));
    return new BackboneOutput(StreamKind.VIDEO, List.of(FeatureMap.spatial("out", x, g)));
  }

  @Override
  public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
    throw new UnsupportedOperationException("TinyVideoCNN is video only");
  }

  @Override
  public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
    return new TokenGrid(Math.max(1, frames / 2), height / 4, width / 4);
  }

  @Override
  public String defaultDecoder(StreamKind stream) {
    return "none";
  }

  @Override
  public int numFeatures() {
    return width;
  }
}
