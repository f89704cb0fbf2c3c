package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import org.bevt4j.api.ComponentFactory;

/**
 * Extension point for frozen perceptual feature networks
 * ({@code bevt.tokenizer-training.perceptual.network = NAME}); {@code create} receives the subtree
 * {@link #settingsPath()} (with the selected preset applied). The network must be frozen (no
 * trainable parameters) and live in {@code ctx.manager()}.
 */
@Experimental
public interface FeatureNetworkFactory extends ComponentFactory<FeatureNetwork> {
  /**
   * Where the network's settings live: by default {@code bevt.tokenizer-training.perceptual.<name>}
   * (core's networks); a plugin's network overrides it with a path inside the plugin's own subtree,
   * e.g. {@code bevt.model.tokenizer.dalle.perceptual-network}.
   */
  default String settingsPath() {
    return "bevt.tokenizer-training.perceptual." + name();
  }
}
