package org.bevt4j.core.data.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.DataFormatException;
import org.bevt4j.core.data.ListFiles;
import org.bevt4j.core.data.MediaEntry;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.image.ImageDecoder;
import org.bevt4j.core.data.transform.RgbFrame;
import org.bevt4j.core.data.transform.SamplePipeline;

/**
 * Pre-extracted frames ({@code raw-frames}): a list file of {@code <dir> <num_frames> <label>} and
 * one image per frame named by a template ({@code img_%05d.jpg}, numbered from
 * {@code start-index}, mmaction's convention). Only the sampled frames are read.
 */
public final class RawFramesDataset implements Dataset, DataLoader.Describable {
  private final List<MediaEntry> entries;
  private final List<String> classes;
  private final SamplePipeline pipeline;
  private final String template;
  private final int startIndex;

  public RawFramesDataset(List<MediaEntry> entries, List<String> classes, SamplePipeline pipeline, String template, int startIndex) {
    try {
      String.format(template, startIndex);
    } catch (IllegalFormatException e) {
      throw new DataFormatException("filename-template \"" + template + "\" is not a format for one integer: " + e.getMessage());
    }
    this.entries = List.copyOf(entries);
    this.classes = List.copyOf(classes);
    this.pipeline = pipeline;
    this.template = template;
    this.startIndex = startIndex;
  }

  /** Reads the list file; frame folders are resolved against {@code prefix} (or the list's folder). */
  public static RawFramesDataset fromList(StreamSettings s, Path list, Path prefix, String template, int startIndex) {
    s.requireStream(StreamKind.VIDEO);
    List<MediaEntry> entries = ListFiles.read(list, prefix, true);
    return new RawFramesDataset(entries, ListFiles.numericClasses(entries), s.pipeline(null), template, startIndex);
  }

  @Override
  public StreamKind stream() {
    return StreamKind.VIDEO;
  }

  @Override
  public long size() {
    return entries.size();
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  /** The file of 0-based frame {@code i} of an entry. */
  public Path frameFile(MediaEntry e, int i) {
    return e.path().resolve(String.format(template, i + startIndex));
  }

  @Override
  public String describe(long index) {
    return entries.get(Math.toIntExact(index)).path().toString();
  }

  @Override
  public Sample load(long index, RandomGenerator rng) throws IOException {
    MediaEntry e = entries.get(Math.toIntExact(index));
    return pipeline.clip(e.frames(), idx -> {
      RgbFrame[] out = new RgbFrame[idx.length];
      for (int i = 0; i < idx.length; i++) {
        out[i] = ImageDecoder.decode(frameFile(e, idx[i]));
      }
      return out;
    }, e.label(), e.path().toString(), rng);
  }
}
