package org.bevt4j.core.data.synthetic;

import java.io.IOException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bevt4j.core.data.transform.SamplePipeline;

/**
 * Procedural data generated on the fly, the embedded default ({@code synthetic}). Clips show one
 * textured object over a textured background; its label is its {@link Motion} (static, four
 * directions at two speeds, two rotation senses), so single frames are not enough to classify.
 * Images are static and labelled by {@link Shape}. Content depends only on (seed, index); labels
 * cycle through the classes ({@code index % classes}). A horizontal flip maps the label through
 * {@link Motion#mirrored()}.
 */
public final class SyntheticDataset implements Dataset {
  private final StreamKind stream;
  private final long size;
  private final int width;
  private final int height;
  private final int frames;
  private final SceneGenerator generator;
  private final SamplePipeline pipeline;

  /**
   * @param frames frames per synthetic video (ignored for images)
   * @param pipeline built with clip settings for the video stream, without for images
   */
  public SyntheticDataset(StreamKind stream, long size, int width, int height, int frames,
      SceneGenerator generator, SamplePipeline pipeline) {
    if (size < 1 || width < 8 || height < 8 || frames < 1) {
      throw new IllegalArgumentException("synthetic dataset needs size >= 1, width/height >= 8, frames >= 1");
    }
    this.stream = stream;
    this.size = size;
    this.width = width;
    this.height = height;
    this.frames = frames;
    this.generator = generator;
    this.pipeline = pipeline;
  }

  /** From a parsed stream block (its {@code synthetic} sub-block). */
  public static SyntheticDataset create(StreamSettings s) {
    Settings t = s.settings().sub("synthetic");
    long size = t.longValue("size");
    if (size < 1) {
      throw t.invalid("size", "must be >= 1", null);
    }
    int w = t.intIn("width", 8, 8192);
    int h = t.intIn("height", 8, 8192);
    long seed = t.longValue("seed");
    if (s.stream() == StreamKind.VIDEO) {
      int n = t.intIn("frames", 1, 1 << 20);
      double slow = t.numberIn("slow-speed", 1e-6, 1);
      double fast = t.numberIn("fast-speed", 1e-6, 1);
      if (fast < 1.5 * slow) {
        throw t.invalid("fast-speed", "must be at least 1.5 x slow-speed (" + slow + ") so the classes differ", null);
      }
      double rot = t.numberIn("rotation-speed", 1e-3, 90);
      SceneGenerator gen = new SceneGenerator(seed, slow, fast, rot);
      return new SyntheticDataset(StreamKind.VIDEO, size, w, h, n, gen,
          s.pipeline(l -> Motion.values()[l].mirrored().ordinal()));
    }
    return new SyntheticDataset(StreamKind.IMAGE, size, w, h, 1, new SceneGenerator(seed), s.pipeline(null));
  }

  @Override
  public StreamKind stream() {
    return stream;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public List<String> classes() {
    return stream == StreamKind.VIDEO ? Motion.names() : Shape.names();
  }

  /** The label of a sample before augmentation. */
  public int label(long index) {
    return (int) (index % classes().size());
  }

  /** The scene of a sample. */
  public Scene scene(long index) {
    checkIndex(index);
    return stream == StreamKind.VIDEO
        ? generator.videoScene(index, Motion.values()[label(index)])
        : generator.imageScene(index, Shape.values()[label(index)]);
  }

  /** Renders the given frames of a sample at the dataset's resolution. */
  public RgbFrame[] render(long index, int[] frameIndices) {
    Scene s = scene(index);
    RgbFrame bg = SceneGenerator.background(s, width, height);
    RgbFrame[] out = new RgbFrame[frameIndices.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = SceneGenerator.render(s, bg, frameIndices[i]);
    }
    return out;
  }

  /** Frames per synthetic video. */
  public int frames() {
    return frames;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  private void checkIndex(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("synthetic index " + index + " not in [0, " + size + ")");
    }
  }

  @Override
  public Sample load(long index, RandomGenerator rng) throws IOException {
    String source = "synthetic:" + stream.configName() + "/" + index;
    if (stream == StreamKind.VIDEO) {
      return pipeline.clip(frames, idx -> render(index, idx), label(index), source, rng);
    }
    return pipeline.image(render(index, new int[] {0})[0], label(index), source, rng);
  }
}
