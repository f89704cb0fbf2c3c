package org.bevt4j.swin;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BuildContext;
import org.pf4j.Extension;

/** The {@code video-swin} backbone: Video Swin T/S/B/L and BEVT's two-stream Swin (settings: {@link SwinSettings}). */
@Extension
public final class VideoSwinBackboneFactory implements BackboneFactory {
  public static final String NAME = "video-swin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Video Swin Transformer (tiny/small/base/large) and BEVT's image+video Swin with its decoders";
  }

  /** Builds the settings record: type, range and cross-field errors before any work. */
  @Override
  public void validate(Config settings) {
    SwinSettings.from(settings);
  }

  @Override
  public Backbone create(Config settings, BuildContext ctx) {
    return SwinModels.fromSettings(settings, ctx);
  }
}
