package org.bevt4j.core.data.synthetic;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.core.data.StreamSettings;
import org.pf4j.Extension;

/** {@code synthetic}: procedural clips (motion classes) and images (shape classes), generated on the fly */
@Extension
public final class SyntheticDatasetFactory implements DatasetFactory {
  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public String description() {
    return "procedural clips (motion classes) and images (shape classes), generated on the fly";
  }

  /** The shared stream keys and this type's own keys, without reading any file. */
  @Override
  public void validate(Config settings) {
    StreamSettings.parse(settings, null);
  }

  @Override
  public Dataset create(Config settings, BuildContext ctx) {
    StreamSettings s = StreamSettings.parse(settings, ctx);
    return SyntheticDataset.create(s);
  }
}
