package org.bevt4j.cli.tokens;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.Settings;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.eval.ProbeDatasets;

/**
 * The frames a tokenizer comparison runs on, as square RGB pictures in [0, 1] of one common size,
 * with labels when the source has them.
 *
 * @param rgb per frame {@code (3, size, size)}
 * @param size side of every frame
 * @param labels per-frame class, or null
 * @param names per-frame name (file / frame / dataset sample)
 * @param description where the frames came from, for the report
 */
public record ComparisonFrames(List<float[]> rgb, int size, int[] labels, List<String> names, String description) {
  /**
   * Frames from image/video files: each picture's centred square resized to {@code size} (Lanczos),
   * at most {@code framesPerVideo} per video and {@code maxFrames} in all (evenly spaced).
   */
  public static ComparisonFrames fromFiles(List<MediaInputs.Item> items, int framesPerVideo, int maxFrames, int size, int lanczosOrder) {
    SquareResize resize = new SquareResize(size, lanczosOrder);
    List<MediaInputs.Frame> all = new ArrayList<>();
    for (MediaInputs.Item item : items) {
      all.addAll(MediaInputs.decode(item, framesPerVideo));
    }
    List<float[]> rgb = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i : spread(all.size(), maxFrames)) {
      rgb.add(resize.apply(all.get(i).rgb()));
      names.add(all.get(i).name());
    }
    return new ComparisonFrames(rgb, size, null, names,
        items.size() + " file(s), " + rgb.size() + " of " + all.size() + " pictures, centre square resized to " + size + "x" + size);
  }

  /**
   * {@code samples} evenly spaced samples of the {@code bevt.data.image} dataset, read in evaluation
   * mode with a centre crop and turned back into [0, 1] RGB; labels when the dataset has them.
   */
  public static ComparisonFrames fromDataset(BevtRuntime rt, RuntimeBuildContext ctx, int samples) throws IOException {
    String where = "bevt.data.image";
    Config block = rt.config().getConfig(where)
        .withValue("mode", ConfigValueFactory.fromAnyRef("eval"))
        .withValue("eval.crop", ConfigValueFactory.fromAnyRef("center"));
    Settings s = Settings.of(block, where);
    double[] mean = s.numbers("mean");
    double[] std = s.numbers("std");
    int size = s.intIn("crop-size", 1, 1 << 14);
    try (Dataset ds = ProbeDatasets.create(rt, ctx, block, where)) {
      if (ds.size() < 1) {
        throw new UsageException(where + ": the dataset is empty");
      }
      List<float[]> rgb = new ArrayList<>();
      List<String> names = new ArrayList<>();
      int[] idx = spread((int) Math.min(Integer.MAX_VALUE, ds.size()), samples);
      int[] labels = new int[idx.length];
      boolean labelled = true;
      for (int k = 0; k < idx.length; k++) {
        Sample smp = ds.load(idx[k], new SplittableRandom(ctx.seed() * 1_000_003L + idx[k]));
        rgb.add(denormalise(smp.input(), size, mean, std, smp.source()));
        names.add(smp.source());
        labels[k] = smp.label();
        labelled &= smp.label() >= 0;
      }
      String type = block.getString("type");
      return new ComparisonFrames(rgb, size, labelled ? labels : null, names,
          "dataset " + where + " (type " + type + ", " + ds.size() + " samples): " + idx.length
              + " evenly spaced samples, eval centre crop " + size + "x" + size + (labelled ? ", labelled" : ", unlabelled"));
    }
  }

  private static float[] denormalise(HostTensor t, int size, double[] mean, double[] std, String source) {
    int plane = size * size;
    if (t.data().length < 3 * plane) {
      throw new UsageException(source + ": sample of shape " + java.util.Arrays.toString(t.shape()) + " is not a "
          + size + "x" + size + " RGB image");
    }
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        float v = (float) ((t.data()[c * plane + i] * std[c] + mean[c]) / 255.0);
        out[c * plane + i] = Math.max(0f, Math.min(1f, v));
      }
    }
    return out;
  }

  /** {@code min(n, k)} indices spread evenly over {@code [0, n)}, in order. */
  static int[] spread(int n, int k) {
    int m = Math.min(n, Math.max(1, k));
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = (int) ((long) i * n / m);
    }
    return out;
  }

  public int count() {
    return rgb.size();
  }
}
