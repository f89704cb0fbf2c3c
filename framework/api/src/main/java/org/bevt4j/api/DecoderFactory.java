package org.bevt4j.api;

/**
 * Extension point for decoders ({@code bevt.model.decoder.image.type} / {@code .video.type}). The
 * build context holds the backbone; a factory serves one stream, given by {@link #stream()}.
 */
@Stable
public interface DecoderFactory extends ComponentFactory<Decoder> {
  /** The stream this decoder serves. */
  StreamKind stream();
}
