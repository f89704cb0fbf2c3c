package org.bevt4j.core.data.video;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.core.data.DataPaths;
import org.bevt4j.core.data.StreamSettings;
import org.pf4j.Extension;

/** {@code video-folder}: videos in class folders (root/<class>/<video>), decoded with FFmpeg */
@Extension
public final class VideoFolderDatasetFactory implements DatasetFactory {
  @Override
  public String name() {
    return "video-folder";
  }

  @Override
  public String description() {
    return "videos in class folders (root/<class>/<video>), decoded with FFmpeg";
  }

  /** The shared stream keys and this type's own keys, without reading any file. */
  @Override
  public void validate(Config settings) {
    StreamSettings s = StreamSettings.parse(settings, null);
    s.requireStream(org.bevt4j.api.StreamKind.VIDEO);
    Settings t = s.settings().sub(name());
    DataPaths.required(t, "root", null);
    DataPaths.extensions(t);
  }

  @Override
  public Dataset create(Config settings, BuildContext ctx) {
    StreamSettings s = StreamSettings.parse(settings, ctx);
    s.requireStream(org.bevt4j.api.StreamKind.VIDEO);
    Settings t = s.settings().sub(name());
    return VideoDataset.fromFolder(s, DataPaths.required(t, "root", ctx), DataPaths.extensions(t));
  }
}
