package org.bevt4j.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A named model size of the step benchmark: the backbone settings (explicit architecture keys, so
 * that the analytic FLOP count reads the same numbers the plugin builds from), the batch of each
 * stream and the vocabulary size.
 *
 * <table>
 *   <caption>built-in presets (all BEVT mode: mask token, image stream, decoders; vocab 8192)</caption>
 *   <tr><th>backbone</th><th>size</th><th>architecture</th><th>video batch</th><th>image batch</th></tr>
 *   <tr><td>video-swin</td><td>tiny</td><td>C 48, depths 2,2,2,2, heads 2,4,8,16</td><td>1 × 8×224²</td><td>2 × 224²</td></tr>
 *   <tr><td>video-swin</td><td>small</td><td>Swin-T: C 96, depths 2,2,6,2, heads 3,6,12,24</td><td>1 × 16×224²</td><td>4 × 224²</td></tr>
 *   <tr><td>video-swin</td><td>base</td><td>Swin-B (BEVT): C 128, depths 2,2,18,2, heads 4,8,16,32</td><td>1 × 16×224²</td><td>1 × 224²</td></tr>
 *   <tr><td>timesformer</td><td>tiny</td><td>ViT-Ti/16: C 192, depth 12, 3 heads</td><td>1 × 8×224²</td><td>2 × 224²</td></tr>
 *   <tr><td>timesformer</td><td>small</td><td>ViT-S/16: C 384, depth 12, 6 heads</td><td>1 × 16×224²</td><td>4 × 224²</td></tr>
 *   <tr><td>timesformer</td><td>base</td><td>ViT-B/16 (BEVT): C 768, depth 12, 12 heads</td><td>1 × 16×224²</td><td>1 × 224²</td></tr>
 * </table>
 *
 * Swin: patch (2,4,4), window (8,7,7), MLP ratio 4, drop-path 0.1 (0.3 for base). TimeSformer:
 * divided space-time attention, patch 16, MLP ratio 4, drop-path 0.1, BEVT mask geometry (16-px
 * cells, 2 frames per mask slot).
 *
 * @param backbone backbone type ({@code bevt.model.backbone.type})
 * @param size preset name
 * @param sets config assignments selecting and sizing the backbone ({@code --set} syntax)
 * @param clips clips per video batch
 * @param frames frames per clip
 * @param images images per image batch
 * @param resolution square input side (pixels) of both streams
 * @param vocab vocabulary size of the prediction head
 */
public record StepPreset(
    String backbone, String size, List<String> sets, int clips, int frames, int images, int resolution, int vocab) {
  /** The backbone types with built-in presets. */
  public static final List<String> BACKBONES = List.of("video-swin", "timesformer");
  /** The built-in size names. */
  public static final List<String> SIZES = List.of("tiny", "small", "base");
  /** BEVT's DALL-E vocabulary. */
  public static final int VOCAB = 8192;

  /** Validates the numbers. */
  public StepPreset {
    if (clips < 0 || images < 0 || clips + images == 0 || frames < 1 || resolution < 1 || vocab < 2) {
      throw new IllegalArgumentException(
          "preset " + backbone + "/" + size + ": need clips, images >= 0 (not both 0), frames, resolution >= 1, vocab >= 2; got clips="
              + clips + " images=" + images + " frames=" + frames + " resolution=" + resolution + " vocab=" + vocab);
    }
    sets = List.copyOf(sets);
  }

  /** {@code backbone/size}, e.g. {@code video-swin/small}. */
  public String id() {
    return backbone + "/" + size;
  }

  /** The settings subtree of the backbone ({@code bevt.model.backbone.<type>}). */
  public String settingsPath() {
    return "bevt.model.backbone." + backbone;
  }

  /** The built-in preset {@code size} of {@code backbone}; unknown names list the known ones. */
  public static StepPreset of(String backbone, String size) {
    String b = backbone.toLowerCase(Locale.ROOT);
    String s = size.toLowerCase(Locale.ROOT);
    if (!BACKBONES.contains(b)) {
      throw new IllegalArgumentException("no step presets for backbone '" + backbone + "'; known: " + BACKBONES);
    }
    if (!SIZES.contains(s)) {
      throw new IllegalArgumentException("unknown step preset size '" + size + "'; known: " + SIZES);
    }
    return b.equals("video-swin") ? swin(s) : timesformer(s);
  }

  private static StepPreset swin(String size) {
    String p = "bevt.model.backbone.video-swin.";
    List<String> sets = new ArrayList<>(List.of(
        "bevt.model.backbone.type=video-swin", p + "preset=null", p + "bevt=true", p + "patch-size=[2,4,4]",
        p + "window-size=[8,7,7]", p + "mlp-ratio=4", p + "qkv-bias=true", p + "patch-norm=true", p + "in-chans=3",
        p + "drop-rate=0", p + "attn-drop-rate=0", p + "frozen-stages=-1"));
    return switch (size) {
      case "tiny" -> swin(sets, p, 48, "[2,2,2,2]", "[2,4,8,16]", 0.1, 8, 2);
      case "small" -> swin(sets, p, 96, "[2,2,6,2]", "[3,6,12,24]", 0.1, 16, 4);
      default -> swin(sets, p, 128, "[2,2,18,2]", "[4,8,16,32]", 0.3, 16, 1);
    };
  }

  private static StepPreset swin(
      List<String> sets, String p, int embed, String depths, String heads, double dropPath, int frames, int images) {
    sets.add(p + "embed-dim=" + embed);
    sets.add(p + "depths=" + depths);
    sets.add(p + "num-heads=" + heads);
    sets.add(p + "drop-path-rate=" + dropPath);
    String size = embed == 48 ? "tiny" : embed == 96 ? "small" : "base";
    return new StepPreset("video-swin", size, sets, 1, frames, images, 224, VOCAB);
  }

  private static StepPreset timesformer(String size) {
    String p = "bevt.model.backbone.timesformer.";
    int embed = switch (size) {
      case "tiny" -> 192;
      case "small" -> 384;
      default -> 768;
    };
    int frames = size.equals("tiny") ? 8 : 16;
    int images = switch (size) {
      case "tiny" -> 2;
      case "small" -> 4;
      default -> 1;
    };
    List<String> sets = List.of(
        "bevt.model.backbone.type=timesformer", p + "preset=bevt", p + "img-size=224", p + "num-frames=" + frames,
        p + "patch-size=16", p + "embed-dim=" + embed, p + "depth=12", p + "num-heads=" + embed / 64,
        p + "mlp-ratio=4", p + "attention-type=divided_space_time", p + "drop-path-rate=0.1", p + "tubelet-size=1",
        p + "mask-patch-size=16", p + "mask-frames=2", p + "mask-token=true", p + "image-temporal=skip");
    return new StepPreset("timesformer", size, sets, 1, frames, images, 224, VOCAB);
  }
}
