package org.example.bevt4j.vitlite;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;
import org.pf4j.Extension;

/** {@code bevt.model.backbone.type = vit-lite}; settings under {@code bevt.model.backbone.vit-lite}. */
@Extension
public final class VitLiteBackboneFactory implements BackboneFactory {
  @Override
  public String name() {
    return "vit-lite";
  }

  @Override
  public String description() {
    return "example plugin: small ViT, tubelet patches, joint space-time attention, both streams on shared weights";
  }

  /** Builds the settings record: type, range and cross-field errors before any work. */
  @Override
  public void validate(Config settings) {
    VitLiteSettings.from(settings);
  }

  @Override
  public Backbone create(Config settings, BuildContext ctx) {
    VitLiteBackbone backbone = VitLiteBackbone.create(VitLiteSettings.from(settings), ctx.manager());
    String weights = Settings.of(ctx.rootConfig(), "").optString("bevt.model.backbone.weights");
    if (weights != null) {
      VitLiteWeights.load(backbone, ctx.resolvePath(weights));
    }
    return backbone;
  }
}
