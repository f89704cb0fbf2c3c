/**
 * Training a DALL-E-style dVAE tokenizer ({@code bevt4j train-tokenizer --type dalle}): the upstream
 * decoder structure ({@link org.bevt4j.dalle.train.DalleDecoder}, nearest upsampling, no transposed
 * convolution), the Gumbel-softmax relaxation and the KL to a uniform prior
 * ({@link org.bevt4j.dalle.train.Relaxation}), temperature and KL-weight schedules
 * ({@link org.bevt4j.dalle.train.Ramp}), the logit-Laplace / L1 / MSE reconstruction
 * ({@link org.bevt4j.dalle.train.PixelLoss}) and the trainable tokenizer
 * ({@link org.bevt4j.dalle.train.DalleTrainer}); also the frozen DALL-E encoder as a perceptual
 * feature network ({@link org.bevt4j.dalle.train.DalleFeatureNetworkFactory}).
 */
package org.bevt4j.dalle.train;
