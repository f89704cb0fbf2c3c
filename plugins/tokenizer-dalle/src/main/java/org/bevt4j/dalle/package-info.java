/**
 * The DALL-E dVAE encoder tokenizer ({@code bevt.model.tokenizer.type = dalle}): OpenAI's
 * {@code dall_e.Encoder} (the tokenizer BEiT and BEVT use) with its upstream parameter names
 * ({@code blocks.input.w}, {@code blocks.group_g.block_k.res_path.conv_i.w}, ...), the
 * {@code map_pixels} input mapping and argmax token ids.
 */
package org.bevt4j.dalle;
