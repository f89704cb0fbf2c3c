package org.bevt4j.core.data;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.core.data.image.ImageFolderDatasetFactory;
import org.bevt4j.core.data.image.ImageListDatasetFactory;
import org.bevt4j.core.data.synthetic.SyntheticDatasetFactory;
import org.bevt4j.core.data.video.RawFramesDatasetFactory;
import org.bevt4j.core.data.video.VideoFolderDatasetFactory;
import org.bevt4j.core.data.video.VideoListDatasetFactory;
import org.bevt4j.io.Names;

/**
 * The built-in dataset factories, usable without the plugin host (tests, benchmarks, tools). The
 * host's registry finds the same classes through their {@code @Extension} annotations.
 */
public final class DataSources {
  private DataSources() {}

  /** Built-in factories by type name. */
  public static Map<String, DatasetFactory> builtIn() {
    Map<String, DatasetFactory> m = new LinkedHashMap<>();
    for (DatasetFactory f : List.of(new SyntheticDatasetFactory(), new ImageFolderDatasetFactory(),
        new ImageListDatasetFactory(), new VideoListDatasetFactory(), new VideoFolderDatasetFactory(),
        new RawFramesDatasetFactory())) {
      m.put(f.name(), f);
    }
    return m;
  }

  /** Builds the dataset of a {@code bevt.data.<stream>} block with a built-in factory. */
  public static Dataset create(Config block, BuildContext ctx) {
    Settings s = Settings.of(block, "bevt.data." + Settings.of(block, "bevt.data").oneOf("stream", "image", "video"));
    String type = s.string("type");
    DatasetFactory f = builtIn().get(type);
    if (f == null) {
      throw new BevtConfigException(s.full("type"), s.origin("type"), "dataset type \"" + type + "\" is unknown",
          "known: " + builtIn().keySet() + Names.didYouMean(type, builtIn().keySet()));
    }
    return f.create(block, ctx);
  }
}
