package org.bevt4j.timesformer;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;
import org.pf4j.Extension;

/** The {@code timesformer-video} decoder (see {@link TimeSformerDecoder}); no settings. */
@Extension
public final class TimeSformerVideoDecoderFactory implements DecoderFactory {
  @Override
  public String name() {
    return TimeSformerDecoder.VIDEO_TYPE;
  }

  @Override
  public StreamKind stream() {
    return StreamKind.VIDEO;
  }

  @Override
  public String description() {
    return "TimeSformer video decoder: patch tokens to a per-frame 16-px target grid";
  }

  @Override
  public Decoder create(Config settings, BuildContext ctx) {
    return DecoderSupport.create(StreamKind.VIDEO, ctx);
  }
}
