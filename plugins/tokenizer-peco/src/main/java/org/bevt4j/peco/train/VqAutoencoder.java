package org.bevt4j.peco.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;
import org.bevt4j.peco.VectorQuantizer;
import org.bevt4j.peco.VqganEncoder;
import org.bevt4j.peco.VqganEncoderConfig;

/**
 * taming's {@code VQModel} without its loss: {@code encoder}, {@code quant_conv} (1x1 to
 * {@code embed_dim}), {@code quantize.embedding.weight}, {@code post_quant_conv} (1x1 back to
 * {@code z_channels}) and {@code decoder}, under the checkpoint names. The encode path is the same
 * classes the {@code peco} tokenizer runs, so a saved state dict tokenizes identically there.
 */
public final class VqAutoencoder extends Module {
  private final VqganEncoder encoder;
  private final Conv quantConv;
  private final VectorQuantizer quantize;
  private final Conv postQuantConv;
  private final VqganDecoder decoder;

  public VqAutoencoder(VqganEncoderConfig c, int embedDim, int nEmbed) {
    encoder = child("encoder", new VqganEncoder(c));
    quantConv = child("quant_conv", Conv.builder(c.outChannels(), embedDim, 1, 1).build());
    quantize = child("quantize", new VectorQuantizer(nEmbed, embedDim));
    postQuantConv = child("post_quant_conv", Conv.builder(embedDim, c.zChannels(), 1, 1).build());
    decoder = child("decoder", new VqganDecoder(c));
  }

  public VqganEncoder encoder() {
    return encoder;
  }

  public VectorQuantizer quantize() {
    return quantize;
  }

  public VqganDecoder decoder() {
    return decoder;
  }

  /** {@code quant_conv(encoder(x))}: the pre-quantisation latent for model input {@code x}. */
  public NDArray latent(NDArray x) {
    return quantConv.forward(encoder.forward(x));
  }

  /** {@code decoder(post_quant_conv(zq))}: the image (model convention) for quantised latents. */
  public NDArray decode(NDArray zq) {
    return decoder.forward(postQuantConv.forward(zq));
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(decode(latent(inputs.singletonOrThrow())));
  }
}
