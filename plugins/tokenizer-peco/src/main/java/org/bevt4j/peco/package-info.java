/**
 * The PeCo tokenizer slot ({@code bevt.model.tokenizer.type = peco}): a configurable VQGAN-family
 * tokenizer, i.e. the encode path of taming-transformers' {@code VQModel} ({@link
 * org.bevt4j.peco.VqganEncoder} then {@code quant_conv} then the nearest-codebook {@link
 * org.bevt4j.peco.VectorQuantizer}) under taming's state-dict names.
 *
 * <p><b>PeCo's own tokenizer code and weights are not public</b> in the sources available to this
 * project; BEVT's repository wires in only DALL-E. This plugin therefore implements the public
 * architecture family PeCo builds on, configurable enough to match real PeCo weights once they are
 * available. Its defaults (16x downsampling: ch 128, ch_mult (1,1,2,2,4), 2 res blocks, attention
 * at 14, z 256, embed 256, 8192 codes, 14x14 tokens at 224x224) are taming-f16-like; they are
 * <i>not</i> a verified PeCo architecture.
 */
package org.bevt4j.peco;
