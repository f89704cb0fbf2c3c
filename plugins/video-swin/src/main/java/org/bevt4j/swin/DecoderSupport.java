package org.bevt4j.swin;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.swin.bevt.BevtHeads;

/** Shared checks of the two BEVT decoder factories. */
final class DecoderSupport {
  private DecoderSupport() {}

  static BevtHeads heads(String name, StreamKind stream, Config settings, BuildContext ctx) {
    String path = "bevt.model.decoder." + stream.configName();
    if (settings != null && !settings.root().isEmpty()) {
      String key = settings.root().keySet().iterator().next();
      throw Settings.of(settings, path + "." + name)
          .invalid(key, "unknown key", "decoder " + name + " has no settings");
    }
    Backbone b =
        ctx.backbone()
            .orElseThrow(() -> new BevtConfigException(path + ".type", "", "decoder " + name + " needs the backbone to be built first"));
    if (!(b instanceof SwinTransformer3D swin)) {
      throw new BevtConfigException(
          path + ".type", "", "decoder " + name + " works only with the video-swin backbone, not " + b.getClass().getSimpleName(),
          "use type = default");
    }
    if (!swin.config().bevt()) {
      throw new BevtConfigException(
          path + ".type", "", "decoder " + name + " needs the video-swin backbone in BEVT mode",
          "set bevt.model.backbone.video-swin.bevt = true (or preset = bevt-base)");
    }
    return swin.bevtHeads();
  }
}
