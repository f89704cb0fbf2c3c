package org.bevt4j.core.finetune;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layer ids for layer-wise learning-rate decay, worked out from upstream parameter names only, so
 * any backbone whose names follow Swin or ViT conventions gets them without backbone-specific code.
 * A prefix before the recognised part (e.g. {@code backbone.}) is allowed. With decay {@code d},
 * a parameter of layer {@code i} trains at {@code d^(top - i)} times the scheduled rate.
 *
 * <p><b>Swin-like</b> (some name contains {@code layers.<i>.blocks.<j>.}):
 * <ul>
 *   <li>{@code patch_embed*}, {@code absolute_pos_embed}, {@code mask_token}, {@code pos_embed},
 *       {@code cls_token}: 0;
 *   <li>blocks in forward order from 1; when {@code mergingIsLayer}, {@code layers.<i>.downsample}
 *       takes the next id after stage i's blocks (BEVT's K400 recipe: for Swin-B the last block and
 *       the final norm get {@code d^1}, patch_embed {@code d^28}); otherwise it shares the id of
 *       stage i's last block (SimMIM / Swin-V2 style);
 *   <li>the final {@code norm}: the last block's id (BEVT);
 *   <li>anything else (the classification head): top = last block id + 1.
 * </ul>
 * <b>ViT-like</b> (some name contains {@code blocks.<i>.} but none {@code layers.<i>.blocks.}; BEiT's
 * rule, TimeSformer): {@code patch_embed*}, {@code cls_token}, {@code pos_embed},
 * {@code time_embed}, {@code mask_token}: 0; {@code blocks.<i>}: i + 1; anything else (final norm,
 * head): top = depth + 1.
 *
 * <p>Names that match no rule get the top id (scale 1). Depths are the largest block indices seen,
 * so the names must cover the whole backbone.
 */
public final class LayerIds {
  /** Which naming convention was recognised. */
  public enum Family {
    SWIN,
    VIT,
    /** Neither: every parameter is layer 0 = top (no decay). */
    NONE
  }

  private static final Pattern SWIN_BLOCK = Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.blocks\\.(\\d+)\\.");
  private static final Pattern SWIN_DOWN = Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.downsample\\.");
  private static final Pattern VIT_BLOCK = Pattern.compile("(?:^|\\.)blocks\\.(\\d+)\\.");
  private static final Pattern EMBED =
      Pattern.compile("(?:^|\\.)(?:patch_embed[^.]*|absolute_pos_embed|pos_embed|time_embed|cls_token|mask_token)(?:\\.|$)");
  private static final Pattern FINAL_NORM = Pattern.compile("(?:^|\\.)norm\\.(?:weight|bias)$");

  private final Family family;
  private final boolean mergingIsLayer;
  /** Swin: first id of each stage's blocks; ViT: unused. */
  private final int[] stageStart;
  private final int[] stageDepth;
  private final int lastBlock;
  private final int top;

  private LayerIds(Family family, boolean mergingIsLayer, int[] stageStart, int[] stageDepth, int lastBlock, int top) {
    this.family = family;
    this.mergingIsLayer = mergingIsLayer;
    this.stageStart = stageStart;
    this.stageDepth = stageDepth;
    this.lastBlock = lastBlock;
    this.top = top;
  }

  /**
   * Works out the structure from all parameter names of a model.
   *
   * @param mergingIsLayer Swin only: whether {@code layers.<i>.downsample} counts as its own layer
   */
  public static LayerIds of(Collection<String> names, boolean mergingIsLayer) {
    TreeMap<Integer, Integer> swinDepth = new TreeMap<>();
    TreeMap<Integer, Boolean> swinDown = new TreeMap<>();
    int vitDepth = 0;
    for (String n : names) {
      Matcher m = SWIN_BLOCK.matcher(n);
      if (m.find()) {
        swinDepth.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1, Math::max);
        continue;
      }
      Matcher d = SWIN_DOWN.matcher(n);
      if (d.find()) {
        swinDown.put(Integer.parseInt(d.group(1)), true);
        continue;
      }
      Matcher v = VIT_BLOCK.matcher(n);
      if (v.find()) {
        vitDepth = Math.max(vitDepth, Integer.parseInt(v.group(1)) + 1);
      }
    }
    if (!swinDepth.isEmpty()) {
      int stages = Math.max(swinDepth.lastKey(), swinDown.isEmpty() ? 0 : swinDown.lastKey()) + 1;
      int[] start = new int[stages];
      int[] depth = new int[stages];
      int next = 1;
      int last = 0;
      for (int i = 0; i < stages; i++) {
        depth[i] = swinDepth.getOrDefault(i, 0);
        start[i] = next;
        next += depth[i];
        last = next - 1;
        if (mergingIsLayer && swinDown.containsKey(i)) {
          last = next; // the merge layer follows the stage's blocks
          next++;
        }
      }
      // the final norm goes with the last block, not with a trailing merge layer
      int lastBlockId = lastBlockId(start, depth);
      return new LayerIds(Family.SWIN, mergingIsLayer, start, depth, lastBlockId, Math.max(last, lastBlockId) + 1);
    }
    if (vitDepth > 0) {
      return new LayerIds(Family.VIT, false, new int[0], new int[0], vitDepth, vitDepth + 1);
    }
    return new LayerIds(Family.NONE, false, new int[0], new int[0], 0, 0);
  }

  private static int lastBlockId(int[] start, int[] depth) {
    for (int i = start.length - 1; i >= 0; i--) {
      if (depth[i] > 0) {
        return start[i] + depth[i] - 1;
      }
    }
    return 0;
  }

  public Family family() {
    return family;
  }

  /** The id of the head (and of unrecognised names): scale 1. */
  public int top() {
    return top;
  }

  /** The layer id of one parameter name. */
  public int layerOf(String name) {
    if (family == Family.NONE) {
      return top;
    }
    if (family == Family.SWIN) {
      Matcher m = SWIN_BLOCK.matcher(name);
      if (m.find()) {
        int stage = Integer.parseInt(m.group(1));
        return stageStart[stage] + Integer.parseInt(m.group(2));
      }
      Matcher d = SWIN_DOWN.matcher(name);
      if (d.find()) {
        int stage = Integer.parseInt(d.group(1));
        int afterBlocks = stageStart[stage] + stageDepth[stage];
        return mergingIsLayer ? afterBlocks : Math.max(0, afterBlocks - 1);
      }
      if (EMBED.matcher(name).find()) {
        return 0;
      }
      if (FINAL_NORM.matcher(name).find()) {
        return lastBlock;
      }
      return top;
    }
    Matcher v = VIT_BLOCK.matcher(name);
    if (v.find()) {
      return Integer.parseInt(v.group(1)) + 1;
    }
    if (EMBED.matcher(name).find()) {
      return 0;
    }
    return top;
  }

  /** The learning-rate scale {@code decay^(top - layerOf(name))} (1 when decay is 1). */
  public double scale(String name, double decay) {
    if (decay == 1.0) {
      return 1.0;
    }
    return StrictMath.pow(decay, top - layerOf(name));
  }

  /** Layer id and scale of every name, for logs and tests. */
  public Map<String, Integer> describe(Collection<String> names) {
    Map<String, Integer> out = new TreeMap<>();
    for (String n : names) {
      out.put(n, layerOf(n));
    }
    return out;
  }
}
