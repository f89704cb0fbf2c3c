package org.bevt4j.core.testing;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BuildContext;

/**
 * {@code tiny-vit}: builds a {@link TinyVideoViT} (width 32, 2 blocks, patch 8, up to 64 tokens, no
 * drop path; {@code dim}, {@code depth}, {@code patch}, {@code drop-path-rate} read when present) on
 * the context's manager. Register it as a host extension in tests that need a trainable backbone.
 */
public class TinyVideoViTFactory implements BackboneFactory {
  @Override
  public String name() {
    return "tiny-vit";
  }

  @Override
  public Backbone create(Config settings, BuildContext ctx) {
    int dim = settings.hasPath("dim") ? settings.getInt("dim") : 32;
    int depth = settings.hasPath("depth") ? settings.getInt("depth") : 2;
    int patch = settings.hasPath("patch") ? settings.getInt("patch") : 8;
    double dp = settings.hasPath("drop-path-rate") ? settings.getDouble("drop-path-rate") : 0.0;
    TinyVideoViT b = new TinyVideoViT(dim, depth, patch, 64, dp);
    b.initialize(ctx.manager());
    return b;
  }
}
