package org.bevt4j.swin;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.bevt4j.api.BuildContext;
import org.bevt4j.io.BindReport;
import org.bevt4j.io.StateDict;
import org.bevt4j.swin.weights.SwinWeights;

/**
 * Public ways to build the backbone: from the plugin settings (what the factory does), or from
 * upstream constructor names (fixtures' {@code constructor_config}, the {@code forward} command).
 */
public final class SwinModels {
  /** Root-config key of the optional weight file. */
  public static final String WEIGHTS_KEY = "bevt.model.backbone.weights";

  private SwinModels() {}

  /**
   * Builds an initialized model from upstream constructor options (e.g. {@code {"embed_dim": 24,
   * "depths": [2, 2], ...}}); {@code extraIgnored} names options of other modules to skip (e.g.
   * {@code vocab_size}).
   */
  public static SwinTransformer3D fromUpstream(
      Map<String, ?> constructorConfig, boolean bevt, Set<String> extraIgnored, NDManager manager) {
    SwinTransformer3D m = new SwinTransformer3D(SwinConfig.fromUpstream(constructorConfig, bevt, extraIgnored));
    m.initialize(manager);
    return m;
  }

  /**
   * Builds from the {@code video-swin} settings subtree and loads {@code bevt.model.backbone.weights}
   * from the root config when set.
   */
  public static SwinTransformer3D fromSettings(Config subtree, BuildContext ctx) {
    SwinSettings s = SwinSettings.from(subtree);
    SwinTransformer3D m = new SwinTransformer3D(s.model(), s.attention());
    m.initialize(ctx.manager());
    Config root = ctx.rootConfig();
    if (root != null && root.hasPath(WEIGHTS_KEY)) {
      Path file = ctx.resolvePath(root.getString(WEIGHTS_KEY));
      loadWeights(m, StateDict.load(file), s.weights());
    }
    return m;
  }

  /** Loads upstream-named weights with the given rules (see {@link SwinWeights}). */
  public static BindReport loadWeights(SwinTransformer3D model, StateDict weights, SwinWeights.Options options) {
    return SwinWeights.load(model, weights, options);
  }
}
