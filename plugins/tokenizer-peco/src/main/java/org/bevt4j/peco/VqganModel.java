package org.bevt4j.peco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;

/**
 * The encode half of taming's {@code VQModel}: {@code encoder} ({@link VqganEncoder}),
 * {@code quant_conv} (1x1, encoder output channels to {@code embed_dim}) and {@code quantize}
 * ({@link VectorQuantizer}), under the checkpoint names {@code encoder.*}, {@code quant_conv.*},
 * {@code quantize.embedding.weight}. A decoder ({@code post_quant_conv}, {@code decoder}) can be
 * added beside these by a later tokenizer-training component.
 */
public final class VqganModel extends Module {
  private final VqganEncoder encoder;
  private final Conv quantConv;
  private final VectorQuantizer quantize;

  public VqganModel(VqganEncoderConfig encoderConfig, int embedDim, int nEmbed) {
    encoder = child("encoder", new VqganEncoder(encoderConfig));
    quantConv = child("quant_conv", Conv.builder(encoderConfig.outChannels(), embedDim, 1, 1).build());
    quantize = child("quantize", new VectorQuantizer(nEmbed, embedDim));
  }

  public VqganEncoder encoder() {
    return encoder;
  }

  public Conv quantConv() {
    return quantConv;
  }

  public VectorQuantizer quantize() {
    return quantize;
  }

  /** {@code quant_conv(encoder(x))}: the pre-quantisation latent {@code (N, embed_dim, h, w)}. */
  public NDArray latent(NDArray x) {
    return quantConv.forward(encoder.forward(x));
  }

  /** Token ids {@code (N, h, w)} for model input {@code x}. */
  public NDArray ids(NDArray x) {
    return quantize.ids(latent(x));
  }

  /** The full encode path for model input {@code x}. */
  public VqEncoding encodeDetailed(NDArray x) {
    NDArray h = encoder.forward(x);
    NDArray z = quantConv.forward(h);
    NDArray d = quantize.distances(quantize.flatten(z));
    var s = z.getShape();
    NDArray ids = d.argMin(1).reshape(s.get(0), s.get(2), s.get(3));
    return new VqEncoding(h, z, ids, quantize.lookup(ids), d);
  }

  @Override
  public NDList forward(NDList inputs, boolean training) {
    return new NDList(ids(inputs.singletonOrThrow()));
  }
}
