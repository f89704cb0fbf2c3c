package org.bevt4j.api.tokenizer;

import org.bevt4j.api.Experimental;
import org.bevt4j.api.ComponentFactory;

/**
 * Extension point for frozen perceptual feature networks
 * ({@code bevt.tokenizer-training.perceptual.network = NAME}); {@code create} receives the subtree
 * {@code bevt.tokenizer-training.perceptual.<name>}. The network must be frozen (no trainable
 * parameters) and live in {@code ctx.manager()}.
 */
@Experimental
public interface FeatureNetworkFactory extends ComponentFactory<FeatureNetwork> {}
