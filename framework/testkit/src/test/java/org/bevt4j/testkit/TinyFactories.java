package org.bevt4j.testkit;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.StreamKind;

/** Factories of the tiny test components (listed in the test META-INF/extensions.idx). */
final class TinyFactories {
  private TinyFactories() {}

  /** {@code tiny}: settings {@code unused-param}, {@code ignore-mask} (booleans, default false). */
  public static final class Backbones implements BackboneFactory {
    @Override
    public String name() {
      return "tiny";
    }

    @Override
    public Backbone create(Config settings, BuildContext ctx) {
      TinyBackbone b =
          new TinyBackbone(
              settings.hasPath("unused-param") && settings.getBoolean("unused-param"),
              settings.hasPath("ignore-mask") && settings.getBoolean("ignore-mask"));
      b.initialize(ctx.manager());
      return b;
    }
  }

  /** {@code tiny-video}. */
  public static final class VideoDecoders implements DecoderFactory {
    @Override
    public String name() {
      return "tiny-video";
    }

    @Override
    public StreamKind stream() {
      return StreamKind.VIDEO;
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      TinyDecoder d = new TinyDecoder(settings.hasPath("wrong-grid") && settings.getBoolean("wrong-grid"));
      d.initialize(ctx.manager());
      return d;
    }
  }

  /** {@code tiny-image}. */
  public static final class ImageDecoders implements DecoderFactory {
    @Override
    public String name() {
      return "tiny-image";
    }

    @Override
    public StreamKind stream() {
      return StreamKind.IMAGE;
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      TinyDecoder d = new TinyDecoder(false);
      d.initialize(ctx.manager());
      return d;
    }
  }
}
