package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.GroupNorm;
import org.bevt4j.nn.Module;

/**
 * taming-transformers' {@code Encoder} with its state-dict names: {@code conv_in} 3x3; per level
 * {@code i}, {@code down.i.block.j} ResnetBlocks (each followed by {@code down.i.attn.j} when the
 * level's nominal resolution is in {@code attn_resolutions}) and, except on the last level,
 * {@code down.i.downsample}; then {@code mid.block_1}, {@code mid.attn_1}, {@code mid.block_2};
 * {@code norm_out} (GroupNorm), swish, {@code conv_out} 3x3 to {@code z_channels} (twice that with
 * {@code double_z}).
 */
public final class VqganEncoder extends Module {
  private final VqganEncoderConfig config;
  private final Conv convIn;
  private final List<Level> down = new ArrayList<>();
  private final ResnetBlock midBlock1;
  private final AttnBlock midAttn1;
  private final ResnetBlock midBlock2;
  private final GroupNorm normOut;
  private final Conv convOut;

  public VqganEncoder(VqganEncoderConfig c) {
    this.config = c;
    int g = c.groups();
    double eps = c.eps();
    convIn = child("conv_in", ResnetBlock.conv3(c.inChannels(), c.ch()));
    int currRes = c.resolution();
    int blockIn = c.ch();
    for (int i = 0; i < c.levels(); i++) {
      int blockOut = c.ch() * c.chMult().get(i);
      boolean attn = c.attnResolutions().contains(currRes);
      Level level = new Level();
      for (int j = 0; j < c.numResBlocks(); j++) {
        level.blocks.add(child("down." + i + ".block." + j, new ResnetBlock(blockIn, blockOut, g, eps)));
        blockIn = blockOut;
        if (attn) {
          level.attns.add(child("down." + i + ".attn." + j, new AttnBlock(blockIn, g, eps)));
        }
      }
      if (i != c.levels() - 1) {
        level.downsample = child("down." + i + ".downsample", new Downsample(blockIn, c.resampWithConv()));
        currRes /= 2;
      }
      down.add(level);
    }
    midBlock1 = child("mid.block_1", new ResnetBlock(blockIn, blockIn, g, eps));
    midAttn1 = child("mid.attn_1", new AttnBlock(blockIn, g, eps));
    midBlock2 = child("mid.block_2", new ResnetBlock(blockIn, blockIn, g, eps));
    normOut = child("norm_out", new GroupNorm(g, blockIn, eps));
    convOut = child("conv_out", ResnetBlock.conv3(blockIn, c.outChannels()));
  }

  public VqganEncoderConfig config() {
    return config;
  }

  /** The latent {@code h (N, z, H/f, W/f)} for model input {@code x (N, C, H, W)}. */
  public NDArray forward(NDArray x) {
    return run(x, null);
  }

  /**
   * The latent plus the output of every named sub-module ({@code conv_in},
   * {@code down.i.block.j}, {@code down.i.attn.j}, {@code down.i.downsample}, {@code mid.block_1},
   * {@code mid.attn_1}, {@code mid.block_2}, {@code norm_out}, {@code conv_out}), for bisecting.
   */
  public Map<String, NDArray> forwardWithIntermediates(NDArray x) {
    Map<String, NDArray> taps = new LinkedHashMap<>();
    run(x, taps);
    return taps;
  }

  private NDArray run(NDArray x, Map<String, NDArray> taps) {
    NDArray h = tap(taps, "conv_in", convIn.forward(x));
    for (int i = 0; i < down.size(); i++) {
      Level level = down.get(i);
      for (int j = 0; j < level.blocks.size(); j++) {
        h = tap(taps, "down." + i + ".block." + j, level.blocks.get(j).forward(h));
        if (!level.attns.isEmpty()) {
          h = tap(taps, "down." + i + ".attn." + j, level.attns.get(j).forward(h));
        }
      }
      if (level.downsample != null) {
        h = tap(taps, "down." + i + ".downsample", level.downsample.forward(h));
      }
    }
    h = tap(taps, "mid.block_1", midBlock1.forward(h));
    h = tap(taps, "mid.attn_1", midAttn1.forward(h));
    h = tap(taps, "mid.block_2", midBlock2.forward(h));
    h = tap(taps, "norm_out", normOut.forward(h));
    return tap(taps, "conv_out", convOut.forward(ResnetBlock.swish(h)));
  }

  private static NDArray tap(Map<String, NDArray> taps, String name, NDArray value) {
    if (taps != null) {
      taps.put(name, value);
    }
    return value;
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** One resolution level ({@code down.i}). */
  private static final class Level {
    final List<ResnetBlock> blocks = new ArrayList<>();
    final List<AttnBlock> attns = new ArrayList<>();
    Downsample downsample;
  }
}
