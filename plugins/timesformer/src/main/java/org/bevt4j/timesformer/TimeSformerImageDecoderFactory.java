package org.bevt4j.timesformer;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;
import org.pf4j.Extension;

/** The {@code timesformer-image} decoder (see {@link TimeSformerDecoder}); no settings. */
@Extension
public final class TimeSformerImageDecoderFactory implements DecoderFactory {
  @Override
  public String name() {
    return TimeSformerDecoder.IMAGE_TYPE;
  }

  @Override
  public StreamKind stream() {
    return StreamKind.IMAGE;
  }

  @Override
  public String description() {
    return "TimeSformer image decoder: patch tokens to the 16-px target grid";
  }

  @Override
  public Decoder create(Config settings, BuildContext ctx) {
    return DecoderSupport.create(StreamKind.IMAGE, ctx);
  }
}
