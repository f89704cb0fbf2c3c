package org.bevt4j.core.train;

import java.util.Objects;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.Masker;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.Tokenizer;

/**
 * Everything the pretrainer needs, built by the host from the configuration. Per-stream members
 * may be null when no stage trains that stream; {@link Pretrainer} checks this against the stages
 * at start-up.
 *
 * @param backbone the shared backbone (both streams)
 * @param imageDecoder decoder of the image stream, or null
 * @param videoDecoder decoder of the video stream, or null
 * @param tokenizer the frozen target tokenizer
 * @param imageMasker mask generator of the image stream, or null
 * @param videoMasker mask generator of the video stream, or null
 * @param imageDataset image data, or null
 * @param videoDataset video data, or null
 */
public record PretrainComponents(
    Backbone backbone,
    Decoder imageDecoder,
    Decoder videoDecoder,
    Tokenizer tokenizer,
    Masker imageMasker,
    Masker videoMasker,
    Dataset imageDataset,
    Dataset videoDataset) {
  public PretrainComponents {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** The decoder of a stream (may be null). */
  public Decoder decoder(StreamKind s) {
    return s == StreamKind.VIDEO ? videoDecoder : imageDecoder;
  }

  /** The masker of a stream (may be null). */
  public Masker masker(StreamKind s) {
    return s == StreamKind.VIDEO ? videoMasker : imageMasker;
  }

  /** The dataset of a stream (may be null). */
  public Dataset dataset(StreamKind s) {
    return s == StreamKind.VIDEO ? videoDataset : imageDataset;
  }
}
