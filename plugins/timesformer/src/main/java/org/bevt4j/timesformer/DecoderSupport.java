package org.bevt4j.timesformer;

import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.StreamKind;

/** Shared creation logic of the two decoder factories. */
final class DecoderSupport {
  private DecoderSupport() {}

  static TimeSformerDecoder create(StreamKind stream, BuildContext ctx) {
    String key = "bevt.model.decoder." + stream.configName() + ".type";
    Backbone b =
        ctx.backbone()
            .orElseThrow(
                () -> new BevtConfigException(key, "", "the TimeSformer decoder needs the backbone to be built first"));
    if (!(b instanceof VisionTransformer vt)) {
      throw new BevtConfigException(
          key,
          "",
          "decoder " + (stream == StreamKind.IMAGE ? TimeSformerDecoder.IMAGE_TYPE : TimeSformerDecoder.VIDEO_TYPE)
              + " needs a timesformer backbone, got " + b.getClass().getSimpleName(),
          "use the backbone's default decoder (type = default)");
    }
    return TimeSformerDecoder.create(stream, vt, ctx.manager());
  }
}
