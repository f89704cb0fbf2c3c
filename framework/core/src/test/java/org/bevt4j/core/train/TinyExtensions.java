package org.bevt4j.core.train;

import com.typesafe.config.Config;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.Masker;
import org.bevt4j.api.MaskerFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.TokenizerFactory;
import org.pf4j.Extension;

/**
 * The tiny test components ({@link Tiny}) as host-class-path extensions, so that tests can run the
 * real {@code bevt4j pretrain} path ({@link PretrainJob} on a {@link org.bevt4j.core.BevtRuntime})
 * on them: backbone, tokenizer and dataset type {@value #NAME}, decoders {@code tiny} (the tiny
 * backbone's default), masker {@value #NAME} (a fixed share of the grid, {@link CountMasker}).
 * They take no settings (core's reference.conf knows no keys for them): no dropout, tokenizer
 * patch 2, mask ratio 0.5, {@value #VIDEO_SAMPLES} clips and {@value #IMAGE_SAMPLES} images; the
 * system property {@value #NAN_PROPERTY} names a rank and a clip whose first pixel is NaN there.
 */
public final class TinyExtensions {
  /** The type name of every tiny component. */
  public static final String NAME = "core-test-tiny";
  /** Clips of the video dataset. */
  public static final int VIDEO_SAMPLES = 16;
  /** Images of the image dataset. */
  public static final int IMAGE_SAMPLES = 32;
  /**
   * System property {@code <rank>:<index>}: on that MPI rank only (every epoch visits every clip, on
   * some rank), the video clip of that index has a NaN first pixel.
   */
  public static final String NAN_PROPERTY = "bevt4j.test.tiny.video-nan";

  private TinyExtensions() {}

  /** {@link TinyBackbone}. */
  @Extension
  public static final class BackboneF implements BackboneFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Backbone create(Config settings, BuildContext ctx) {
      TinyBackbone b = new TinyBackbone(Tiny.DIM, Tiny.PATCH, 0.0, true);
      b.initialize(ctx.manager());
      return b;
    }
  }

  /** {@link TinyTokenizer}: fixed weights (seed 1234) whatever the run seed, as pretrained ones. */
  @Extension
  public static final class TokenizerF implements TokenizerFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Tokenizer create(Config settings, BuildContext ctx) {
      ai.djl.engine.Engine.getInstance().setRandomSeed(1234);
      TinyTokenizer t = new TinyTokenizer(Tiny.VOCAB, Tiny.HW / 2, 2);
      t.initialize(ctx.manager());
      Pretrainer.seedEngine(ctx.seed()); // the backbone's initialisation does not depend on the tokenizer
      return t;
    }
  }

  /** {@link TinyDecoder} of the video stream. */
  @Extension
  public static final class VideoDecoderF implements DecoderFactory {
    @Override
    public String name() {
      return "tiny";
    }

    @Override
    public StreamKind stream() {
      return StreamKind.VIDEO;
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      return decoder(StreamKind.VIDEO, ctx);
    }
  }

  /** {@link TinyDecoder} of the image stream. */
  @Extension
  public static final class ImageDecoderF implements DecoderFactory {
    @Override
    public String name() {
      return "tiny";
    }

    @Override
    public StreamKind stream() {
      return StreamKind.IMAGE;
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      return decoder(StreamKind.IMAGE, ctx);
    }
  }

  private static Decoder decoder(StreamKind stream, BuildContext ctx) {
    TinyBackbone b = (TinyBackbone) ctx.backbone().orElseThrow();
    TinyDecoder d = new TinyDecoder(stream, b);
    d.initialize(ctx.manager());
    return d;
  }

  /** {@link CountMasker}. */
  @Extension
  public static final class MaskerF implements MaskerFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Masker create(Config settings, BuildContext ctx) {
      return new CountMasker(0.5);
    }
  }

  /** {@link TinyDataset} of the block's stream. */
  @Extension
  public static final class DatasetF implements DatasetFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Dataset create(Config settings, BuildContext ctx) {
      StreamKind stream = StreamKind.valueOf(settings.getString("stream").toUpperCase(java.util.Locale.ROOT));
      TinyDataset d = new TinyDataset(stream, stream == StreamKind.VIDEO ? VIDEO_SAMPLES : IMAGE_SAMPLES, Tiny.FRAMES, Tiny.HW);
      String nan = System.getProperty(NAN_PROPERTY);
      if (stream == StreamKind.VIDEO && nan != null
          && Integer.parseInt(nan.split(":")[0]) == org.bevt4j.core.dist.MpiEnvironment.current().rank()) {
        d.nanIndex = Long.parseLong(nan.split(":")[1]);
      }
      return d;
    }
  }
}
