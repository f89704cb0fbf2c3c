package org.bevt4j.core.data.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.ListFiles;
import org.bevt4j.core.data.MediaEntry;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.transform.SamplePipeline;

/**
 * Still images from a class-per-folder tree ({@code image-folder}) or an mmaction list file
 * ({@code image-list}), decoded on the calling thread and augmented by the stream's pipeline.
 */
public final class ImageDataset implements Dataset, DataLoader.Describable {
  private final List<MediaEntry> entries;
  private final List<String> classes;
  private final SamplePipeline pipeline;

  public ImageDataset(List<MediaEntry> entries, List<String> classes, SamplePipeline pipeline) {
    this.entries = List.copyOf(entries);
    this.classes = List.copyOf(classes);
    this.pipeline = pipeline;
  }

  /** {@code root/<class>/<image>} with the given (lower-case) extensions. */
  public static ImageDataset fromFolder(StreamSettings s, Path root, Set<String> extensions) {
    s.requireStream(StreamKind.IMAGE);
    ListFiles.FolderTree tree = ListFiles.scan(root, new HashSet<>(extensions));
    return new ImageDataset(tree.entries(), tree.classes(), s.pipeline(null));
  }

  /** A {@code <path> <label>} list file; relative paths resolved against {@code prefix} (or the list's folder). */
  public static ImageDataset fromList(StreamSettings s, Path list, Path prefix) {
    s.requireStream(StreamKind.IMAGE);
    List<MediaEntry> entries = ListFiles.read(list, prefix, false);
    return new ImageDataset(entries, ListFiles.numericClasses(entries), s.pipeline(null));
  }

  @Override
  public StreamKind stream() {
    return StreamKind.IMAGE;
  }

  @Override
  public long size() {
    return entries.size();
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  /** The entry behind an index. */
  public MediaEntry entry(long index) {
    return entries.get(Math.toIntExact(index));
  }

  @Override
  public String describe(long index) {
    return entries.get(Math.toIntExact(index)).path().toString();
  }

  @Override
  public Sample load(long index, RandomGenerator rng) throws IOException {
    MediaEntry e = entry(index);
    return pipeline.image(ImageDecoder.decode(e.path()), e.label(), e.path().toString(), rng);
  }
}
