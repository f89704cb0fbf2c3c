package org.bevt4j.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;

/**
 * OpenAI's DALL-E dVAE {@code Encoder} (openai/DALL-E {@code dall_e/encoder.py}) with its upstream
 * state-dict names. {@code blocks} is:
 *
 * <ul>
 *   <li>{@code input}: 7x7 conv, {@code input_channels -> n_hid};
 *   <li>{@code group_1 .. group_4}: {@code n_blk_per_group} {@link DalleEncoderBlock}s each, widths
 *       {@code n_hid * {1, 2, 4, 8}} (the first block of groups 2-4 changes the width and has an
 *       {@code id_path} conv), followed in groups 1-3 by a 2x2 max-pool ({@code pool}, no keys);
 *   <li>{@code output}: relu, then {@code conv} 1x1 {@code 8 n_hid -> vocab_size}.
 * </ul>
 *
 * The output is the logits {@code (N, vocab_size, H/8, W/8)}. Upstream runs the convs in fp16 on
 * CUDA; this port always computes in float32 (as upstream does on CPU).
 */
public final class DalleEncoder extends Module {
  private final DalleEncoderConfig config;
  private final Blocks blocks;

  public DalleEncoder(DalleEncoderConfig config) {
    this.config = config;
    this.blocks = child("blocks", new Blocks(config));
  }

  public DalleEncoderConfig config() {
    return config;
  }

  /** Logits {@code (N, vocab, H/8, W/8)} for already-mapped input {@code x (N, C, H, W)}. */
  public NDArray forward(NDArray x) {
    return blocks.forward(x, null, STAGES.size());
  }

  /**
   * Logits plus the output of every top-level stage, keyed {@code blocks.input},
   * {@code blocks.group_1} .. {@code blocks.group_4} (after the pool) and {@code blocks.output}.
   */
  public Map<String, NDArray> forwardWithIntermediates(NDArray x) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    blocks.forward(x, out, STAGES.size());
    return out;
  }

  /** The stage names of {@link #forwardWithIntermediates}, in order. */
  public static final List<String> STAGES =
      List.of("blocks.input", "blocks.group_1", "blocks.group_2", "blocks.group_3", "blocks.group_4", "blocks.output");

  /**
   * The outputs of the given stages (names of {@link #STAGES}), in the order requested; the
   * forward pass stops after the deepest one requested.
   */
  public List<NDArray> stageOutputs(NDArray x, List<String> stages) {
    int deepest = -1;
    for (String s : stages) {
      int i = STAGES.indexOf(s);
      if (i < 0) {
        throw new IllegalArgumentException("DALL-E encoder has no stage \"" + s + "\"; known: " + STAGES);
      }
      deepest = Math.max(deepest, i);
    }
    Map<String, NDArray> taps = new LinkedHashMap<>();
    blocks.forward(x, taps, deepest + 1);
    List<NDArray> out = new ArrayList<>();
    for (String s : stages) {
      out.add(taps.get(s));
    }
    return out;
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  /** The {@code blocks} sequential of upstream. */
  private static final class Blocks extends Module {
    private final Conv input;
    private final List<Group> groups = new ArrayList<>();
    private final Output output;

    Blocks(DalleEncoderConfig c) {
      input = child("input", DalleEncoderBlock.conv(c.inputChannels(), c.nHid(), 7));
      int nIn = c.nHid();
      for (int g = 1; g <= DalleEncoderConfig.GROUPS; g++) {
        int width = c.groupWidth(g);
        groups.add(child("group_" + g, new Group(c, nIn, width, g < DalleEncoderConfig.GROUPS)));
        nIn = width;
      }
      output = child("output", new Output(nIn, c.vocabSize()));
    }

    /** Runs the first {@code stages} stages (of input, group_1..group_4, output). */
    NDArray forward(NDArray x, Map<String, NDArray> taps, int stages) {
      NDArray h = input.forward(x);
      tap(taps, "blocks.input", h);
      for (int g = 0; g < groups.size(); g++) {
        if (g + 1 >= stages) {
          return h;
        }
        h = groups.get(g).forward(h);
        tap(taps, "blocks.group_" + (g + 1), h);
      }
      if (groups.size() + 1 >= stages) {
        return h;
      }
      h = output.forward(h);
      tap(taps, "blocks.output", h);
      return h;
    }

    private static void tap(Map<String, NDArray> taps, String name, NDArray value) {
      if (taps != null) {
        taps.put(name, value);
      }
    }
  }

  /** {@code group_g}: blocks {@code block_1..block_n}, then an optional 2x2 max-pool. */
  private static final class Group extends Module {
    private final List<DalleEncoderBlock> blocks = new ArrayList<>();
    private final boolean pool;

    Group(DalleEncoderConfig c, int nIn, int nOut, boolean pool) {
      for (int k = 1; k <= c.nBlkPerGroup(); k++) {
        blocks.add(child("block_" + k, new DalleEncoderBlock(k == 1 ? nIn : nOut, nOut, c.postGain())));
      }
      this.pool = pool;
    }

    NDArray forward(NDArray x) {
      NDArray h = x;
      for (DalleEncoderBlock b : blocks) {
        h = b.forward(h);
      }
      if (pool) {
        h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
      }
      return h;
    }
  }

  /** {@code output}: relu, then the 1x1 {@code conv} to the vocabulary. */
  private static final class Output extends Module {
    private final Conv conv;

    Output(int nIn, int vocab) {
      conv = child("conv", DalleEncoderBlock.conv(nIn, vocab, 1));
    }

    NDArray forward(NDArray x) {
      return conv.forward(Activation.relu(x));
    }
  }
}
