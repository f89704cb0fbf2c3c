package org.bevt4j.core.data.image;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.core.data.DataPaths;
import org.bevt4j.core.data.StreamSettings;
import org.pf4j.Extension;

/** {@code image-list}: images from an mmaction list file (<path> <label> per line) */
@Extension
public final class ImageListDatasetFactory implements DatasetFactory {
  @Override
  public String name() {
    return "image-list";
  }

  @Override
  public String description() {
    return "images from an mmaction list file (<path> <label> per line)";
  }

  /** The shared stream keys and this type's own keys, without reading any file. */
  @Override
  public void validate(Config settings) {
    StreamSettings s = StreamSettings.parse(settings, null);
    s.requireStream(org.bevt4j.api.StreamKind.IMAGE);
    DataPaths.required(s.settings().sub(name()), "file", null);
  }

  @Override
  public Dataset create(Config settings, BuildContext ctx) {
    StreamSettings s = StreamSettings.parse(settings, ctx);
    s.requireStream(org.bevt4j.api.StreamKind.IMAGE);
    Settings t = s.settings().sub(name());
    return ImageDataset.fromList(s, DataPaths.required(t, "file", ctx), DataPaths.optional(t, "prefix", ctx));
  }
}
