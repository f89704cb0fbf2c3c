/**
 * The generic dual-path BEVT pretrainer. {@link org.bevt4j.core.train.Pretrainer} runs the stages of
 * {@code bevt.train} over a {@link org.bevt4j.core.train.PretrainComponents} bundle (backbone,
 * decoders, tokenizer, maskers, datasets — all through the API interfaces): each optimizer step
 * takes {@code accumulate} micro-batches of every active stream, tokenizes targets without
 * gradients, masks on the backbone's mask grid with seeded RNGs, decodes, applies the shared
 * vocabulary head of {@link org.bevt4j.core.train.MaskedModelingModel} and optimises the weighted
 * sum of the per-stream masked-token cross-entropies with AdamW. Runs are deterministic on CPU and
 * resume exactly from atomic checkpoints.
 */
package org.bevt4j.core.train;
