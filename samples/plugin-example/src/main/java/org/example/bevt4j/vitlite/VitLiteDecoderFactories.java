package org.example.bevt4j.vitlite;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.pf4j.Extension;

/** The vit-lite decoder factories ({@code vit-lite-video}, {@code vit-lite-image}); no settings. */
public final class VitLiteDecoderFactories {
  private VitLiteDecoderFactories() {}

  static Decoder create(StreamKind stream, String name, BuildContext ctx) {
    Backbone b = ctx.backbone().orElseThrow(() -> new IllegalStateException("build the backbone before decoder " + name));
    if (!(b instanceof VitLiteBackbone vit)) {
      String key = "bevt.model.decoder." + stream.configName() + ".type";
      throw new BevtConfigException(
          key,
          Settings.of(ctx.rootConfig(), "").origin(key),
          "decoder " + name + " decodes the vit-lite backbone, not " + b.getClass().getSimpleName(),
          "use type = default (the backbone's own decoder)");
    }
    return TokenDecoder.create(stream, vit, ctx.manager());
  }

  /** {@code bevt.model.decoder.video.type = vit-lite-video} (the default of vit-lite). */
  @Extension
  public static final class Video implements DecoderFactory {
    @Override
    public String name() {
      return VitLiteBackbone.VIDEO_DECODER;
    }

    @Override
    public StreamKind stream() {
      return StreamKind.VIDEO;
    }

    @Override
    public String description() {
      return "vit-lite video decoder: tubelet tokens to one token per frame (tokenizer grid), LayerNorm";
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      return VitLiteDecoderFactories.create(StreamKind.VIDEO, name(), ctx);
    }
  }

  /** {@code bevt.model.decoder.image.type = vit-lite-image} (the default of vit-lite). */
  @Extension
  public static final class Image implements DecoderFactory {
    @Override
    public String name() {
      return VitLiteBackbone.IMAGE_DECODER;
    }

    @Override
    public StreamKind stream() {
      return StreamKind.IMAGE;
    }

    @Override
    public String description() {
      return "vit-lite image decoder: linear + LayerNorm per patch token";
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      return VitLiteDecoderFactories.create(StreamKind.IMAGE, name(), ctx);
    }
  }
}
