package org.bevt4j.dalle.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.dalle.DalleEncoderBlock;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;

/**
 * OpenAI's DALL-E dVAE {@code Decoder} with its upstream state-dict names. {@code blocks} is:
 *
 * <ul>
 *   <li>{@code input}: 1x1 conv, {@code vocab_size -> n_init} (applied to a one-hot or relaxed
 *       one-hot code map);
 *   <li>{@code group_1 .. group_4}: {@code n_blk_per_group} {@link DalleDecoderBlock}s each, widths
 *       {@code n_hid * {8, 4, 2, 1}}, followed in groups 1-3 by a nearest 2x {@code upsample} (no
 *       keys);
 *   <li>{@code output}: relu, then {@code conv} 1x1 {@code n_hid -> 2 * output_channels}.
 * </ul>
 *
 * The output holds the logit-Laplace statistics: channels {@code [0, C)} the location μ (in logit
 * space), channels {@code [C, 2C)} the log-scale ln b.
 */
public final class DalleDecoder extends Module {
  private final DalleDecoderConfig config;
  private final Blocks blocks;

  public DalleDecoder(DalleDecoderConfig config) {
    this.config = config;
    this.blocks = child("blocks", new Blocks(config));
  }

  public DalleDecoderConfig config() {
    return config;
  }

  /** Statistics {@code (N, 2C, 8h, 8w)} for a (relaxed) one-hot code map {@code (N, vocab, h, w)}. */
  public NDArray forward(NDArray z) {
    return blocks.forward(z);
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** Nearest 2x upsampling ({@code nn.Upsample(scale_factor=2, mode='nearest')}). */
  static NDArray upsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  /** The {@code blocks} sequential of upstream. */
  private static final class Blocks extends Module {
    private final Conv input;
    private final List<Group> groups = new ArrayList<>();
    private final Output output;

    Blocks(DalleDecoderConfig c) {
      input = child("input", DalleEncoderBlock.conv(c.vocabSize(), c.nInit(), 1));
      int nIn = c.nInit();
      for (int g = 1; g <= 4; g++) {
        int width = c.groupWidth(g);
        groups.add(child("group_" + g, new Group(c, nIn, width, g < 4)));
        nIn = width;
      }
      output = child("output", new Output(nIn, 2 * c.outputChannels()));
    }

    NDArray forward(NDArray z) {
      NDArray h = input.forward(z);
      for (Group g : groups) {
        h = g.forward(h);
      }
      return output.forward(h);
    }
  }

  /** {@code group_g}: blocks {@code block_1..block_n}, then an optional nearest 2x upsample. */
  private static final class Group extends Module {
    private final List<DalleDecoderBlock> blocks = new ArrayList<>();
    private final boolean upsample;

    Group(DalleDecoderConfig c, int nIn, int nOut, boolean upsample) {
      for (int k = 1; k <= c.nBlkPerGroup(); k++) {
        blocks.add(child("block_" + k, new DalleDecoderBlock(k == 1 ? nIn : nOut, nOut, c.postGain())));
      }
      this.upsample = upsample;
    }

    NDArray forward(NDArray x) {
      NDArray h = x;
      for (DalleDecoderBlock b : blocks) {
        h = b.forward(h);
      }
      return upsample ? upsample(h) : h;
    }
  }

  /** {@code output}: relu, then the 1x1 {@code conv}. */
  private static final class Output extends Module {
    private final Conv conv;

    Output(int nIn, int nOut) {
      conv = child("conv", DalleEncoderBlock.conv(nIn, nOut, 1));
    }

    NDArray forward(NDArray x) {
      return conv.forward(Activation.relu(x));
    }
  }
}
