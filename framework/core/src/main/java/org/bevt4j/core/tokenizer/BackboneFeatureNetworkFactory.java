package org.bevt4j.core.tokenizer;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;
import org.bevt4j.api.tokenizer.FeatureNetwork;
import org.bevt4j.api.tokenizer.FeatureNetworkFactory;
import org.pf4j.Extension;

/**
 * {@code bevt.tokenizer-training.perceptual.network = backbone}: the run's backbone
 * ({@code bevt.model.backbone}, with its {@code weights}: e.g. a self-supervised checkpoint, as in
 * PeCo) as a frozen perceptual network; settings {@code bevt.tokenizer-training.perceptual.backbone}
 * ({@code maps}, {@code input-size}, {@code mean}, {@code std}).
 */
@Extension
public final class BackboneFeatureNetworkFactory implements FeatureNetworkFactory {
  static final String PATH = "bevt.tokenizer-training.perceptual.backbone";

  @Override
  public String name() {
    return "backbone";
  }

  @Override
  public String description() {
    return "the configured backbone (bevt.model.backbone, frozen): its image-stream feature maps";
  }

  @Override
  public FeatureNetwork create(Config settings, BuildContext ctx) {
    Settings s = Settings.of(settings, PATH);
    Backbone b = ctx.backbone().orElseThrow(() -> new BevtConfigException(PATH, s.origin(""),
        "the perceptual network \"backbone\" needs the backbone of bevt.model.backbone, but none was built",
        "the train-tokenizer command builds it (with bevt.model.backbone.weights) when this network is selected"));
    float[] mean = floats(s, "mean");
    float[] std = floats(s, "std");
    int size = s.isNull("input-size") ? 0 : s.intIn("input-size", 1, 1 << 14);
    Config root = ctx.rootConfig();
    String type = root.hasPath("bevt.model.backbone.type") ? root.getString("bevt.model.backbone.type") : "?";
    String weights = root.hasPath("bevt.model.backbone.weights") ? root.getString("bevt.model.backbone.weights") : "random";
    String desc = "backbone(" + type + ", weights " + weights + ")";
    try {
      return new BackboneFeatureNetwork(b, s.strings("maps"), mean, std, size, desc);
    } catch (IllegalArgumentException e) {
      throw new BevtConfigException(PATH, s.origin(""), e.getMessage(), "choose a backbone with an image stream");
    }
  }

  private static float[] floats(Settings s, String key) {
    double[] d = s.numbers(key);
    if (d.length != 3 || !(d[0] == d[0])) {
      throw s.invalid(key, "expected 3 values (R, G, B) on the [0, 1] pixel scale", null);
    }
    return new float[] {(float) d[0], (float) d[1], (float) d[2]};
  }
}
