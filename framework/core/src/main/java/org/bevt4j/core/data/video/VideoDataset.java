package org.bevt4j.core.data.video;

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
 * Video files decoded with FFmpeg, from an mmaction list file ({@code video-list}) or a
 * class-per-folder tree ({@code video-folder}). Each load opens the file, samples the clip's frame
 * indices, decodes only what it needs (seeking when worthwhile) and closes it.
 */
public final class VideoDataset extends MediaFileDataset {
  public VideoDataset(List<MediaEntry> entries, List<String> classes, SamplePipeline pipeline) {
    super(entries, classes, pipeline);
  }

  /** A {@code <path> <label>} list file; relative paths resolved against {@code prefix} (or the list's folder). */
  public static VideoDataset fromList(StreamSettings s, Path list, Path prefix) {
    s.requireStream(StreamKind.VIDEO);
    List<MediaEntry> entries = ListFiles.read(list, prefix, false);
    return new VideoDataset(entries, ListFiles.numericClasses(entries), s.pipeline(null));
  }

  /** {@code root/<class>/<video>} with the given (lower-case) extensions. */
  public static VideoDataset fromFolder(StreamSettings s, Path root, Set<String> extensions) {
    s.requireStream(StreamKind.VIDEO);
    ListFiles.FolderTree tree = ListFiles.scan(root, new HashSet<>(extensions));
    return new VideoDataset(tree.entries(), tree.classes(), s.pipeline(null));
  }

  @Override
  public StreamKind stream() {
    return StreamKind.VIDEO;
  }

  @Override
  public Sample load(long index, RandomGenerator rng) throws IOException {
    MediaEntry e = entry(index);
    try (VideoReader r = VideoReader.open(e.path())) {
      return pipeline.clip(r.frameCount(), r::read, e.label(), e.path().toString(), rng);
    }
  }
}
