package org.bevt4j.swin;

import com.typesafe.config.Config;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.swin.bevt.BevtVideoDecoder;
import org.pf4j.Extension;

/** BEVT's video decoder ({@code fpn_s} → concat → {@code lm_down_st} → {@code fpn_t} → {@code norm}) on the video-swin backbone; no settings. */
@Extension
public final class BevtSwinVideoDecoderFactory implements DecoderFactory {
  public static final String NAME = "bevt-swin-video";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StreamKind stream() {
    return StreamKind.VIDEO;
  }

  @Override
  public String description() {
    return "BEVT video decoder of the video-swin backbone (parameters owned by the backbone)";
  }

  @Override
  public Decoder create(Config settings, BuildContext ctx) {
    return new BevtVideoDecoder(DecoderSupport.heads(NAME, stream(), settings, ctx));
  }
}
