package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.GroupNorm;
import org.bevt4j.nn.Module;
import org.bevt4j.peco.AttnBlock;
import org.bevt4j.peco.ResnetBlock;
import org.bevt4j.peco.VqganEncoderConfig;

/**
 * taming-transformers' {@code Decoder} with its state-dict names, mirroring a {@link
 * org.bevt4j.peco.VqganEncoder} of the same {@link VqganEncoderConfig}: {@code conv_in} 3x3
 * ({@code z_channels -> ch * ch_mult[-1]}); {@code mid.block_1}, {@code mid.attn_1},
 * {@code mid.block_2}; then, from the lowest resolution level up, {@code up.i.block.j} for
 * {@code j < num_res_blocks + 1} (each followed by {@code up.i.attn.j} when the level's nominal
 * resolution is in {@code attn_resolutions}) and, except on level 0, {@code up.i.upsample}
 * (nearest 2x + 3x3 conv); finally {@code norm_out} (GroupNorm), swish, {@code conv_out} 3x3 to the
 * image channels. Levels are registered in index order (as upstream's {@code ModuleList}).
 */
public final class VqganDecoder extends Module {
  private final Conv convIn;
  private final ResnetBlock midBlock1;
  private final AttnBlock midAttn1;
  private final ResnetBlock midBlock2;
  private final List<Level> up = new ArrayList<>();
  private final GroupNorm normOut;
  private final Conv convOut;

  public VqganDecoder(VqganEncoderConfig c) {
    int g = c.groups();
    double eps = c.eps();
    int levels = c.levels();
    int blockIn = c.ch() * c.chMult().get(levels - 1);
    int currRes = c.resolution() >> (levels - 1);
    convIn = child("conv_in", ResnetBlock.conv3(c.zChannels(), blockIn));
    midBlock1 = child("mid.block_1", new ResnetBlock(blockIn, blockIn, g, eps));
    midAttn1 = child("mid.attn_1", new AttnBlock(blockIn, g, eps));
    midBlock2 = child("mid.block_2", new ResnetBlock(blockIn, blockIn, g, eps));
    // Work out every level from the bottom up (channel bookkeeping), then register them in index order.
    List<int[]> blocks = new ArrayList<>(); // per level: {in of block 0, out, attn?, upsample?}
    for (int i = 0; i < levels; i++) {
      blocks.add(null);
    }
    for (int i = levels - 1; i >= 0; i--) {
      int blockOut = c.ch() * c.chMult().get(i);
      boolean attn = c.attnResolutions().contains(currRes);
      blocks.set(i, new int[] {blockIn, blockOut, attn ? 1 : 0});
      blockIn = blockOut;
      if (i != 0) {
        currRes *= 2;
      }
    }
    for (int i = 0; i < levels; i++) {
      int[] spec = blocks.get(i);
      Level level = new Level();
      int in = spec[0];
      for (int j = 0; j < c.numResBlocks() + 1; j++) {
        level.blocks.add(child("up." + i + ".block." + j, new ResnetBlock(in, spec[1], g, eps)));
        in = spec[1];
        if (spec[2] == 1) {
          level.attns.add(child("up." + i + ".attn." + j, new AttnBlock(in, g, eps)));
        }
      }
      if (i != 0) {
        level.upsample = child("up." + i + ".upsample", new Upsample(in, c.resampWithConv()));
      }
      up.add(level);
    }
    int outCh = c.ch() * c.chMult().get(0);
    normOut = child("norm_out", new GroupNorm(g, outCh, eps));
    convOut = child("conv_out", ResnetBlock.conv3(outCh, c.inChannels()));
  }

  /** The image {@code (N, in_channels, H, W)} (model convention) for a latent {@code (N, z, h, w)}. */
  public NDArray forward(NDArray z) {
    NDArray h = convIn.forward(z);
    h = midBlock1.forward(h);
    h = midAttn1.forward(h);
    h = midBlock2.forward(h);
    for (int i = up.size() - 1; i >= 0; i--) {
      Level level = up.get(i);
      for (int j = 0; j < level.blocks.size(); j++) {
        h = level.blocks.get(j).forward(h);
        if (!level.attns.isEmpty()) {
          h = level.attns.get(j).forward(h);
        }
      }
      if (level.upsample != null) {
        h = level.upsample.forward(h);
      }
    }
    return convOut.forward(ResnetBlock.swish(normOut.forward(h)));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** One resolution level ({@code up.i}). */
  private static final class Level {
    final List<ResnetBlock> blocks = new ArrayList<>();
    final List<AttnBlock> attns = new ArrayList<>();
    Upsample upsample;
  }
}
