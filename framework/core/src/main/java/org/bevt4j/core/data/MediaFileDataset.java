package org.bevt4j.core.data;

import java.util.List;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.transform.SamplePipeline;

/**
 * What the file-backed datasets (images, videos) share: an immutable list of {@link MediaEntry}s
 * (path and label), the class names, and the stream's augmentation pipeline. Subclasses decode one
 * entry in {@link Dataset#load}.
 */
public abstract class MediaFileDataset implements Dataset, DataLoader.Describable {
  private final List<MediaEntry> entries;
  private final List<String> classes;
  /** The stream's decode-and-augment pipeline. */
  protected final SamplePipeline pipeline;

  protected MediaFileDataset(List<MediaEntry> entries, List<String> classes, SamplePipeline pipeline) {
    this.entries = List.copyOf(entries);
    this.classes = List.copyOf(classes);
    this.pipeline = pipeline;
  }

  @Override
  public final long size() {
    return entries.size();
  }

  @Override
  public final List<String> classes() {
    return classes;
  }

  /** The entry behind an index. */
  public final MediaEntry entry(long index) {
    return entries.get(Math.toIntExact(index));
  }

  @Override
  public final String describe(long index) {
    return entry(index).path().toString();
  }
}
