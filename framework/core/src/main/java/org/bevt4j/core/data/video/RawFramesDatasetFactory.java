package org.bevt4j.core.data.video;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.core.data.DataPaths;
import org.bevt4j.core.data.StreamSettings;
import org.pf4j.Extension;

/** {@code raw-frames}: frame folders from a list file (<dir> <num_frames> <label> per line) */
@Extension
public final class RawFramesDatasetFactory implements DatasetFactory {
  @Override
  public String name() {
    return "raw-frames";
  }

  @Override
  public String description() {
    return "frame folders from a list file (<dir> <num_frames> <label> per line)";
  }

  /** The shared stream keys and this type's own keys, without reading any file. */
  @Override
  public void validate(Config settings) {
    StreamSettings s = StreamSettings.parse(settings, null);
    s.requireStream(org.bevt4j.api.StreamKind.VIDEO);
    Settings t = s.settings().sub(name());
    DataPaths.required(t, "file", null);
    t.string("filename-template");
    t.intIn("start-index", 0, Integer.MAX_VALUE);
  }

  @Override
  public Dataset create(Config settings, BuildContext ctx) {
    StreamSettings s = StreamSettings.parse(settings, ctx);
    s.requireStream(org.bevt4j.api.StreamKind.VIDEO);
    Settings t = s.settings().sub(name());
    return RawFramesDataset.fromList(s, DataPaths.required(t, "file", ctx), DataPaths.optional(t, "prefix", ctx),
        t.string("filename-template"), t.intIn("start-index", 0, Integer.MAX_VALUE));
  }
}
