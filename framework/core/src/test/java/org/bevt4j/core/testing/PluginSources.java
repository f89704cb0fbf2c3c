package org.bevt4j.core.testing;

/** Java sources of small but real test extensions (compiled into plugins by {@link TestPlugin}). */
public final class PluginSources {
  private PluginSources() {}

  /**
   * A masker factory whose {@code create} runs a PyTorch op through the host engine: it computes
   * {@code sum(ones(2,3) * factor)} with the context's manager and masks that many positions.
   */
  public static String maskerFactory(String pkg, String cls, String name, double factor) {
    return """
        package %1$s;

        import ai.djl.ndarray.NDArray;
        import ai.djl.ndarray.types.Shape;
        import com.typesafe.config.Config;
        import org.bevt4j.api.BuildContext;
        import org.bevt4j.api.Masker;
        import org.bevt4j.api.MaskerFactory;
        import org.pf4j.Extension;

        @Extension
        public class %2$s implements MaskerFactory {
          @Override public String name() { return "%3$s"; }
          @Override public String description() { return "test masker %3$s"; }
          @Override public Masker create(Config settings, BuildContext ctx) {
            int n;
            try (NDArray a = ctx.manager().ones(new Shape(2, 3)).mul(%4$s)) {
              n = Math.round(a.sum().getFloat());
            }
            final int count = n;
            return (grid, rng) -> {
              boolean[] m = new boolean[grid.size()];
              for (int i = 0; i < Math.min(count, m.length); i++) m[i] = true;
              return m;
            };
          }
        }
        """
        .formatted(pkg, cls, name, factor + "f");
  }

  /** A masker factory whose constructor throws. */
  public static String brokenMaskerFactory(String pkg, String cls, String name) {
    return """
        package %1$s;

        import com.typesafe.config.Config;
        import org.bevt4j.api.BuildContext;
        import org.bevt4j.api.Masker;
        import org.bevt4j.api.MaskerFactory;
        import org.pf4j.Extension;

        @Extension
        public class %2$s implements MaskerFactory {
          public %2$s() { throw new IllegalStateException("constructor of %3$s exploded"); }
          @Override public String name() { return "%3$s"; }
          @Override public Masker create(Config settings, BuildContext ctx) { return null; }
        }
        """
        .formatted(pkg, cls, name);
  }

  /**
   * A tokenizer factory reading {@code vocab} and {@code input-size} from its settings and checking
   * the PyTorch engine with an op; it records the thread context loader seen during create.
   */
  public static String tokenizerFactory(String pkg, String cls, String name) {
    return """
        package %1$s;

        import ai.djl.ndarray.NDArray;
        import ai.djl.ndarray.types.DataType;
        import ai.djl.ndarray.types.Shape;
        import com.typesafe.config.Config;
        import java.util.Map;
        import org.bevt4j.api.BuildContext;
        import org.bevt4j.api.TokenGrid;
        import org.bevt4j.api.Tokenizer;
        import org.bevt4j.api.TokenizerFactory;
        import org.bevt4j.nn.Param;
        import org.pf4j.Extension;

        @Extension
        public class %2$s implements TokenizerFactory {
          public static volatile ClassLoader contextLoaderSeen;
          @Override public String name() { return "%3$s"; }
          @Override public Tokenizer create(Config settings, BuildContext ctx) {
            contextLoaderSeen = Thread.currentThread().getContextClassLoader();
            final int vocab = settings.getInt("vocab");
            final int size = settings.getInt("input-size");
            return new Tokenizer() {
              @Override public int vocabSize() { return vocab; }
              @Override public int inputSize() { return size; }
              @Override public TokenGrid grid(int h, int w) { return TokenGrid.image(h / 8, w / 8); }
              @Override public NDArray encode(NDArray pixels) {
                Shape s = pixels.getShape();
                // token id = floor(mean pixel of each 8x8 patch * (vocab - 1))
                NDArray pooled = pixels.mean(new int[] {1})
                    .reshape(s.get(0), s.get(2) / 8, 8, s.get(3) / 8, 8).mean(new int[] {4}).mean(new int[] {2});
                return pooled.mul(vocab - 1).floor().toType(DataType.INT64, false);
              }
              @Override public Map<String, Param> namedParameters() { return Map.of(); }
            };
          }
        }
        """
        .formatted(pkg, cls, name);
  }

  /** A PF4J plugin class whose start() throws. */
  public static String failingPlugin(String pkg, String cls) {
    return """
        package %1$s;

        public class %2$s extends org.pf4j.Plugin {
          @Override public void start() { throw new IllegalStateException("kaboom in start"); }
        }
        """
        .formatted(pkg, cls);
  }

  /** A Guice module contribution binding {@code @Named("greeting") String}. */
  public static String guiceContribution(String pkg, String cls, String greeting) {
    return """
        package %1$s;

        import com.google.inject.AbstractModule;
        import com.google.inject.name.Names;
        import org.bevt4j.api.GuiceModuleContribution;
        import org.pf4j.Extension;

        @Extension
        public class %2$s implements GuiceModuleContribution {
          @Override public Object module() {
            return new AbstractModule() {
              @Override protected void configure() {
                bind(String.class).annotatedWith(Names.named("greeting")).toInstance("%3$s");
              }
            };
          }
        }
        """
        .formatted(pkg, cls, greeting);
  }

  /**
   * A masker factory with an {@code @Inject} constructor taking the contributed greeting and the
   * host's resolved {@code Config}; its name is the greeting.
   */
  public static String injectedMaskerFactory(String pkg, String cls) {
    return """
        package %1$s;

        import com.typesafe.config.Config;
        import jakarta.inject.Inject;
        import jakarta.inject.Named;
        import org.bevt4j.api.BuildContext;
        import org.bevt4j.api.Masker;
        import org.bevt4j.api.MaskerFactory;
        import org.pf4j.Extension;

        @Extension
        public class %2$s implements MaskerFactory {
          private final String greeting;
          @Inject public %2$s(@Named("greeting") String greeting, Config root) {
            this.greeting = greeting + "-" + root.getString("bevt.train.device");
          }
          @Override public String name() { return greeting; }
          @Override public Masker create(Config settings, BuildContext ctx) {
            return (grid, rng) -> new boolean[grid.size()];
          }
        }
        """
        .formatted(pkg, cls);
  }
}
