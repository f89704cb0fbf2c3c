/**
 * Training a PeCo-style tokenizer ({@code bevt4j train-tokenizer --type peco}): the VQGAN decoder
 * matching the plugin's encoder ({@link org.bevt4j.peco.train.VqganDecoder}, taming names, nearest
 * upsampling + conv instead of any transposed convolution), the full autoencoder
 * ({@link org.bevt4j.peco.train.VqAutoencoder}), the quantizer training (straight-through
 * estimator, codebook/commitment losses, EMA codebook, dead-code restarts:
 * {@link org.bevt4j.peco.train.QuantizerTraining}), the perceptual distance
 * ({@link org.bevt4j.peco.train.PerceptualLoss}) and the
 * {@link org.bevt4j.api.tokenizer.TrainableTokenizer} tying them together
 * ({@link org.bevt4j.peco.train.PecoTrainer}). The generic loop (optimizer, data, checkpoints, plots)
 * lives in core.
 */
package org.bevt4j.peco.train;
