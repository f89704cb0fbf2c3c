package org.bevt4j.core.data.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.ListFiles;
import org.bevt4j.core.data.MediaEntry;
import org.bevt4j.core.data.MediaFileDataset;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.transform.SamplePipeline;

/**
 * Still images from a class-per-folder tree ({@code image-folder}) or an mmaction list file
 * ({@code image-list}), decoded on the calling thread and augmented by the stream's pipeline.
 */
public final class ImageDataset extends MediaFileDataset {
  public ImageDataset(List<MediaEntry> entries, List<String> classes, SamplePipeline pipeline) {
    super(entries, classes, pipeline);
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
  public Sample load(long index, RandomGenerator rng) throws IOException {
    MediaEntry e = entry(index);
    return pipeline.image(ImageDecoder.decode(e.path()), e.label(), e.path().toString(), rng);
  }
}
