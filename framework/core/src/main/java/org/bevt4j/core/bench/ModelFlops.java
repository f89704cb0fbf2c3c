package org.bevt4j.core.bench;

import com.typesafe.config.Config;
import java.util.List;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;

/**
 * The analytic forward FLOPs of a configured backbone + decoder for one stream, read from the
 * resolved configuration (the same numbers the backbone plugin builds from): {@link VideoSwinFlops}
 * for {@code video-swin}, {@link TimeSformerFlops} for {@code timesformer}. The vocabulary head is
 * not included (it runs on the masked tokens only; see {@link #head}).
 */
public final class ModelFlops {
  private ModelFlops() {}

  /** Whether FLOPs can be counted for this backbone type. */
  public static boolean supports(String backbone) {
    return backbone.equals("video-swin") || backbone.equals("timesformer");
  }

  /**
   * Forward FLOPs of backbone + decoder for a batch of one stream.
   *
   * @param root the resolved configuration ({@code bevt.model.backbone.<type>} is read)
   * @param backbone the backbone type
   * @param stream the stream
   * @param batch clips or images
   * @param frames frames per clip (ignored for images)
   * @param size square input side
   * @throws BevtConfigException when the architecture cannot be read (e.g. a Swin preset name
   *     instead of explicit keys)
   */
  public static FlopCount forward(Config root, String backbone, StreamKind stream, int batch, int frames, int size) {
    String path = "bevt.model.backbone." + backbone;
    if (!root.hasPath(path)) {
      throw new BevtConfigException(path, "", "no settings for backbone " + backbone + " in the configuration", null);
    }
    Config c = root.getConfig(path);
    return switch (backbone) {
      case "video-swin" -> {
        VideoSwinFlops.Config sc = swin(c, path);
        yield stream == StreamKind.VIDEO
            ? VideoSwinFlops.bevtVideo(sc, batch, frames, size, size, 0)
            : VideoSwinFlops.bevtImage(sc, batch, size, size, 0);
      }
      case "timesformer" -> {
        TimeSformerFlops.Config tc = timesformer(c);
        yield stream == StreamKind.VIDEO
            ? TimeSformerFlops.video(tc, batch, frames, size, size)
            : TimeSformerFlops.image(tc, batch, size, size);
      }
      default -> throw new IllegalArgumentException("no FLOP count for backbone type " + backbone);
    };
  }

  /** The vocabulary head {@code D → vocab} on {@code masked} tokens. */
  public static long head(long masked, long featureDim, long vocab) {
    return FlopCount.linear(masked, featureDim, vocab);
  }

  /** Video Swin numbers; the {@code preset} key must be null (every architecture key explicit). */
  static VideoSwinFlops.Config swin(Config c, String path) {
    if (c.hasPath("preset")) {
      throw new BevtConfigException(path + ".preset", c.getValue("preset").origin().description(),
          "the FLOP count needs explicit architecture keys, but preset = " + c.getString("preset"),
          "set " + path + ".preset = null and give embed-dim, depths, num-heads, window-size, patch-size, mlp-ratio");
    }
    return new VideoSwinFlops.Config(
        c.getInt("in-chans"), ints(c, "patch-size"), c.getInt("embed-dim"), ints(c, "depths"), ints(c, "num-heads"),
        ints(c, "window-size"), c.getDouble("mlp-ratio"));
  }

  /** TimeSformer numbers; architecture keys left null take the ViT-B/16 values of every preset. */
  static TimeSformerFlops.Config timesformer(Config c) {
    TimeSformerFlops.Config b = TimeSformerFlops.vitBase();
    return new TimeSformerFlops.Config(
        c.hasPath("in-chans") ? c.getInt("in-chans") : b.inChans(),
        c.hasPath("patch-size") ? c.getInt("patch-size") : b.patchSize(),
        c.hasPath("embed-dim") ? c.getInt("embed-dim") : b.embedDim(),
        c.hasPath("depth") ? c.getInt("depth") : b.depth(),
        c.hasPath("num-heads") ? c.getInt("num-heads") : b.numHeads(),
        c.hasPath("mlp-ratio") ? c.getDouble("mlp-ratio") : b.mlpRatio(),
        c.hasPath("attention-type") ? TimeSformerFlops.AttentionType.parse(c.getString("attention-type")) : b.attention(),
        c.hasPath("tubelet-size") ? c.getInt("tubelet-size") : b.tubeletSize(),
        c.hasPath("mask-patch-size") ? c.getInt("mask-patch-size") : b.maskPatchSize(),
        c.hasPath("image-temporal") && c.getString("image-temporal").equals("upstream"));
  }

  private static int[] ints(Config c, String key) {
    List<Integer> l = c.getIntList(key);
    return l.stream().mapToInt(Integer::intValue).toArray();
  }
}
