/**
 * Training your own tokenizer: the extension points a tokenizer plugin implements so that the
 * generic loop in core ({@code bevt4j train-tokenizer --type NAME}) can train it, and the frozen
 * feature networks a perceptual loss compares reconstructions with.
 *
 * <ul>
 *   <li>{@link org.bevt4j.api.tokenizer.TokenizerTrainerFactory} ({@code type} = {@code peco},
 *       {@code dalle}, ...) builds a {@link org.bevt4j.api.tokenizer.TrainableTokenizer}: the
 *       tokenizer's encoder plus a decoder and the training losses, under the tokenizer plugin's
 *       own weight names, so that {@link org.bevt4j.api.tokenizer.TrainableTokenizer#save} writes a
 *       file the plugin's {@link org.bevt4j.api.TokenizerFactory} loads like released weights.
 *   <li>{@link org.bevt4j.api.tokenizer.FeatureNetworkFactory} builds a frozen
 *       {@link org.bevt4j.api.tokenizer.FeatureNetwork} (multi-scale deep features) for a perceptual
 *       loss; the loop hands it to the trainer through a
 *       {@link org.bevt4j.api.tokenizer.TokenizerTrainingContext}.
 * </ul>
 *
 * The loop owns the optimizer, schedule, data, checkpoints, logging and plots; a trainable tokenizer
 * owns only its model, losses and model-specific updates (EMA codebooks, dead-code restarts).
 */
package org.bevt4j.api.tokenizer;
