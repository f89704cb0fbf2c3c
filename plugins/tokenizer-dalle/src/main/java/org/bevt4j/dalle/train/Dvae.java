package org.bevt4j.dalle.train;

import org.bevt4j.dalle.DalleEncoder;
import org.bevt4j.dalle.DalleEncoderConfig;
import org.bevt4j.nn.Module;

/**
 * The DALL-E discrete VAE: {@code encoder.*} ({@link DalleEncoder}, the tokenizer plugin's class)
 * and {@code decoder.*} ({@link DalleDecoder}), each under its upstream names.
 */
public final class Dvae extends Module {
  private final DalleEncoder encoder;
  private final DalleDecoder decoder;

  public Dvae(DalleEncoderConfig encoder, DalleDecoderConfig decoder) {
    this.encoder = child("encoder", new DalleEncoder(encoder));
    this.decoder = child("decoder", new DalleDecoder(decoder));
  }

  public DalleEncoder encoder() {
    return encoder;
  }

  public DalleDecoder decoder() {
    return decoder;
  }
}
