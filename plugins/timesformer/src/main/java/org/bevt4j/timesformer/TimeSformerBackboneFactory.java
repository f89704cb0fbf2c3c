package org.bevt4j.timesformer;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BuildContext;
import org.pf4j.Extension;

/**
 * The {@code timesformer} backbone: settings from {@code bevt.model.backbone.timesformer}, optional
 * weights from {@code bevt.model.backbone.weights} (resolved against the config file's directory).
 */
@Extension
public final class TimeSformerBackboneFactory implements BackboneFactory {
  /** The config type. */
  public static final String NAME = "timesformer";

  /** The shared weights key of the backbone section. */
  static final String WEIGHTS_KEY = "bevt.model.backbone.weights";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "TimeSformer (divided space-time attention ViT), BEVT image + video streams";
  }

  /** Builds the settings record: type, range and cross-field errors before any work. */
  @Override
  public void validate(Config settings) {
    TimeSformerSettings.from(settings);
  }

  @Override
  public Backbone create(Config settings, BuildContext ctx) {
    TimeSformerSettings s = TimeSformerSettings.from(settings);
    VisionTransformer model = VisionTransformer.create(s.model(), s.attention(), ctx.manager());
    Config root = ctx.rootConfig();
    if (root != null && root.hasPath(WEIGHTS_KEY)) {
      TimeSformerWeights.load(model, ctx.resolvePath(root.getString(WEIGHTS_KEY)));
    }
    return model;
  }
}
