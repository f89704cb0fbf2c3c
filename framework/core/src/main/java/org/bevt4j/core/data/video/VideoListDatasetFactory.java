package org.bevt4j.core.data.video;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.core.data.DataPaths;
import org.bevt4j.core.data.StreamSettings;
import org.pf4j.Extension;

/** {@code video-list}: videos from an mmaction list file (<path> <label> per line), decoded with FFmpeg */
@Extension
public final class VideoListDatasetFactory implements DatasetFactory {
  @Override
  public String name() {
    return "video-list";
  }

  @Override
  public String description() {
    return "videos from an mmaction list file (<path> <label> per line), decoded with FFmpeg";
  }

  /** The shared stream keys and this type's own keys, without reading any file. */
  @Override
  public void validate(Config settings) {
    StreamSettings s = StreamSettings.parse(settings, null);
    s.requireStream(org.bevt4j.api.StreamKind.VIDEO);
    DataPaths.required(s.settings().sub(name()), "file", null);
  }

  @Override
  public Dataset create(Config settings, BuildContext ctx) {
    StreamSettings s = StreamSettings.parse(settings, ctx);
    s.requireStream(org.bevt4j.api.StreamKind.VIDEO);
    Settings t = s.settings().sub(name());
    return VideoDataset.fromList(s, DataPaths.required(t, "file", ctx), DataPaths.optional(t, "prefix", ctx));
  }
}
