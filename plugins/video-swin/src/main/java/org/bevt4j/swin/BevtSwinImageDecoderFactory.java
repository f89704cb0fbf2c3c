package org.bevt4j.swin;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.swin.bevt.BevtImageDecoder;
import org.pf4j.Extension;

/** BEVT's image decoder ({@code fpn} → concat stage 3 → {@code lm_down} → {@code norm}) on the video-swin backbone; no settings. */
@Extension
public final class BevtSwinImageDecoderFactory implements DecoderFactory {
  public static final String NAME = "bevt-swin-image";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StreamKind stream() {
    return StreamKind.IMAGE;
  }

  @Override
  public String description() {
    return "BEVT image decoder of the video-swin backbone (parameters owned by the backbone)";
  }

  @Override
  public Decoder create(Config settings, BuildContext ctx) {
    return new BevtImageDecoder(DecoderSupport.heads(NAME, stream(), settings, ctx));
  }
}
