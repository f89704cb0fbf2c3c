package org.bevt4j.core.eval;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ComponentBuilder;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.registry.ComponentRegistry;

/**
 * The datasets of a linear probe, built from the configuration in evaluation mode (deterministic
 * views): {@code bevt.data.<stream>} alone (to be split), or the two blocks named by
 * {@code bevt.eval.probe.train-set} / {@code val-set}, each merged over {@code bevt.data.<stream>}.
 * Closing closes the datasets.
 */
public final class ProbeDatasets implements AutoCloseable {
  private final Dataset train;
  private final Dataset val;
  private final ProbeRunner.Data data;

  private ProbeDatasets(Dataset train, String trainKey, Dataset val, String valKey) {
    this.train = train;
    this.val = val;
    this.data = val == null ? ProbeRunner.Data.split(train, trainKey) : ProbeRunner.Data.separate(train, trainKey, val, valKey);
  }

  /** Builds the datasets {@code options} name with the runtime's dataset registry. */
  public static ProbeDatasets open(BevtRuntime rt, RuntimeBuildContext ctx, ProbeOptions options) {
    StreamKind stream = options.stream();
    if (options.trainSet() == null) {
      Config b = block(rt.config(), stream, null);
      return new ProbeDatasets(build(rt, ctx, b, "bevt.data." + stream.configName()), key(b, ctx), null, null);
    }
    Config tb = block(rt.config(), stream, options.trainSet());
    Config vb = block(rt.config(), stream, options.valSet());
    Dataset t = build(rt, ctx, tb, options.trainSet());
    try {
      return new ProbeDatasets(t, key(tb, ctx), build(rt, ctx, vb, options.valSet()), key(vb, ctx));
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /**
   * The dataset block read for the probe: {@code bevt.data.<stream>}, or the block at {@code path}
   * merged over it; {@code stream} and {@code mode = eval} are forced.
   */
  public static Config block(Config root, StreamKind stream, String path) {
    Config base = root.getConfig("bevt.data." + stream.configName());
    Config b = base;
    if (path != null) {
      Config named;
      try {
        named = root.getConfig(path);
      } catch (ConfigException.Missing e) {
        throw new BevtConfigException(path, null, "no such dataset block in the configuration",
            "define it outside the bevt tree, e.g. " + path + " { type = image-folder, image-folder.root = val/ }");
      } catch (ConfigException.WrongType e) {
        throw new BevtConfigException(path, Settings.describe(root.getValue(path).origin()),
            "expected a dataset block ({ type = ..., ... }), found " + root.getValue(path).render(), null);
      }
      b = named.withFallback(base);
    }
    return b.withValue("stream", ConfigValueFactory.fromAnyRef(stream.configName()))
        .withValue("mode", ConfigValueFactory.fromAnyRef("eval"));
  }

  /**
   * Builds the dataset of a complete dataset block ({@code stream}, {@code type}, ...) with the
   * runtime's dataset registry; {@code where} names the block in errors.
   */
  public static Dataset create(BevtRuntime rt, RuntimeBuildContext ctx, Config block, String where) {
    return build(rt, ctx, block, where);
  }

  private static Dataset build(BevtRuntime rt, RuntimeBuildContext ctx, Config block, String where) {
    Settings s = Settings.of(block, where);
    String type = s.string("type");
    ComponentRegistry<DatasetFactory> reg = rt.registries().datasets();
    DatasetFactory f = reg.get(type, s.full("type"), s.origin("type"));
    Dataset d = ComponentBuilder.create(reg, f, type, block, ctx);
    if (d.stream() != StreamKind.fromConfigName(block.getString("stream"))) {
      d.close();
      throw new BevtConfigException(s.full("type"), s.origin("type"),
          "dataset type \"" + type + "\" provides " + d.stream().configName() + "s, not " + block.getString("stream") + "s", null);
    }
    return d;
  }

  private static String key(Config block, RuntimeBuildContext ctx) {
    return ctx.baseDir() + "|" + block.root().render(ConfigRenderOptions.concise());
  }

  public ProbeRunner.Data data() {
    return data;
  }

  @Override
  public void close() {
    try {
      train.close();
    } finally {
      if (val != null) {
        val.close();
      }
    }
  }
}
