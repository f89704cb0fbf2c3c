package org.bevt4j.core.testing;

import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.DecoderFactory;
import org.bevt4j.api.Masker;
import org.bevt4j.api.MaskerFactory;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.TokenizerFactory;
import org.bevt4j.nn.Param;

/**
 * Test doubles for the registry and builder tests: factories that record the settings and context
 * they were given. They stand in for plugin components only where the test is about wiring.
 */
public final class Fakes {
  private Fakes() {}

  /** Records its last create() arguments. */
  public abstract static class Recording<T> {
    public Config lastSettings;
    public BuildContext lastContext;

    protected T record(Config settings, BuildContext ctx, T component) {
      lastSettings = settings;
      lastContext = ctx;
      return component;
    }
  }

  public static class BackboneF extends Recording<Backbone> implements BackboneFactory {
    private final String name;
    private final String defaultDecoder;

    public BackboneF(String name, String defaultDecoder) {
      this.name = name;
      this.defaultDecoder = defaultDecoder;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Backbone create(Config settings, BuildContext ctx) {
      return record(settings, ctx, new FakeBackbone(defaultDecoder));
    }
  }

  /** A backbone double that only answers metadata questions. */
  public static final class FakeBackbone implements Backbone {
    private final String defaultDecoder;

    FakeBackbone(String defaultDecoder) {
      this.defaultDecoder = defaultDecoder;
    }

    @Override
    public BackboneOutput forwardVideo(NDArray video, NDArray mask, boolean training) {
      throw new UnsupportedOperationException("wiring test double");
    }

    @Override
    public BackboneOutput forwardImage(NDArray images, NDArray mask, boolean training) {
      throw new UnsupportedOperationException("wiring test double");
    }

    @Override
    public TokenGrid maskGrid(StreamKind stream, int frames, int height, int width) {
      return new TokenGrid(frames, height / 16, width / 16);
    }

    @Override
    public String defaultDecoder(StreamKind stream) {
      return defaultDecoder;
    }

    @Override
    public int numFeatures() {
      return 8;
    }

    @Override
    public Map<String, Param> namedParameters() {
      return Map.of();
    }
  }

  public static class DecoderF extends Recording<Decoder> implements DecoderFactory {
    private final String name;
    private final StreamKind stream;

    public DecoderF(String name, StreamKind stream) {
      this.name = name;
      this.stream = stream;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public StreamKind stream() {
      return stream;
    }

    @Override
    public Decoder create(Config settings, BuildContext ctx) {
      return record(
          settings,
          ctx,
          new Decoder() {
            @Override
            public NDArray decode(BackboneOutput output, boolean training) {
              throw new UnsupportedOperationException("wiring test double");
            }

            @Override
            public int featureDim() {
              return 8;
            }

            @Override
            public TokenGrid targetGrid(TokenGrid maskGrid) {
              return maskGrid;
            }

            @Override
            public Map<String, Param> namedParameters() {
              return Map.of();
            }
          });
    }
  }

  public static class TokenizerF extends Recording<Tokenizer> implements TokenizerFactory {
    private final String name;

    public TokenizerF(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Tokenizer create(Config settings, BuildContext ctx) {
      return record(
          settings,
          ctx,
          new Tokenizer() {
            @Override
            public int vocabSize() {
              return 16;
            }

            @Override
            public int inputSize() {
              return 32;
            }

            @Override
            public TokenGrid grid(int height, int width) {
              return TokenGrid.image(height / 8, width / 8);
            }

            @Override
            public NDArray encode(NDArray pixels) {
              throw new UnsupportedOperationException("wiring test double");
            }

            @Override
            public Map<String, Param> namedParameters() {
              return Map.of();
            }
          });
    }
  }

  public static class MaskerF extends Recording<Masker> implements MaskerFactory {
    private final String name;

    public MaskerF(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Masker create(Config settings, BuildContext ctx) {
      return record(settings, ctx, (grid, rng) -> new boolean[grid.size()]);
    }
  }

  public static class DatasetF extends Recording<Dataset> implements DatasetFactory {
    private final String name;
    private final RuntimeException failure;

    public DatasetF(String name, RuntimeException failure) {
      this.name = name;
      this.failure = failure;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Dataset create(Config settings, BuildContext ctx) {
      if (failure != null) {
        throw failure;
      }
      return record(
          settings,
          ctx,
          new Dataset() {
            @Override
            public StreamKind stream() {
              return StreamKind.VIDEO;
            }

            @Override
            public long size() {
              return 0;
            }

            @Override
            public List<String> classes() {
              return List.of();
            }

            @Override
            public Sample load(long index, RandomGenerator rng) throws IOException {
              throw new IOException("empty");
            }
          });
    }
  }
}
