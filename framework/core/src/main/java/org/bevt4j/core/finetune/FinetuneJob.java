package org.bevt4j.core.finetune;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.DatasetFactory;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ComponentBuilder;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.config.Origins;
import org.bevt4j.core.config.ResolvedConfigWriter;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.registry.ComponentRegistry;
import org.bevt4j.core.train.Rngs;
import org.bevt4j.core.train.RunSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bevt4j finetune} as a library call: from an opened, validated {@link BevtRuntime}, build
 * the backbone named by {@code bevt.model.backbone} (with {@code bevt.finetune.drop-path} applied),
 * the training and validation datasets of {@code bevt.finetune} (or a held-out split of the
 * training data), and run the {@link Finetuner} in the fine-tuning run directory. The engine is
 * seeded before the backbone is built, so initialisation is deterministic.
 */
public final class FinetuneJob {
  private static final Logger LOG = LoggerFactory.getLogger("org.bevt4j.finetune");

  private FinetuneJob() {}

  /** The validated settings, with the run directory resolved against the runtime's working directory. */
  public static FinetuneSettings settings(BevtRuntime rt) {
    FinetuneSettings s = FinetuneSettings.from(rt.config());
    RunSettings r = s.run();
    Path dir = rt.loadedConfig().request().workDir().resolve(r.dir()).normalize();
    Path resume = r.resumePath() == null ? null : rt.loadedConfig().request().workDir().resolve(r.resumePath()).normalize();
    return s.withRun(new RunSettings(r.name(), dir, r.resume(), resume));
  }

  /**
   * Checks that the component types fine-tuning uses are installed: the backbone and the datasets of
   * the training and validation blocks (tokenizer, decoders and maskers are not needed). Throws one
   * {@link BevtConfigException} listing every problem.
   */
  public static void validate(BevtRuntime rt, FinetuneSettings s) {
    java.util.List<BevtConfigException> errors = new java.util.ArrayList<>();
    Config root = rt.config();
    String key = "bevt.model.backbone.type";
    try {
      rt.registries().backbones().get(root.getString(key), key, Origins.describe(root.getValue(key)));
    } catch (BevtConfigException e) {
      errors.add(e);
    }
    String[][] blocks = {{"train-data", "trainData"}, {"val-data", "valData"}};
    for (String[] b : blocks) {
      Config block = b[1].equals("trainData") ? s.trainData() : s.valData();
      if (b[1].equals("valData") && s.valSplit() > 0) {
        continue;
      }
      try {
        rt.registries().datasets().get(block.getString("type"), FinetuneSettings.PATH + "." + b[0] + ".type", Origins.describe(block.getValue("type")));
      } catch (BevtConfigException e) {
        errors.add(e);
      }
    }
    org.bevt4j.core.config.ConfigErrors.throwIfAny(errors);
  }

  /** Creates the run directory and saves the resolved configuration in it; returns the directory. */
  public static Path prepareRunDir(BevtRuntime rt, FinetuneSettings s) {
    try {
      return ResolvedConfigWriter.save(rt.config(), s.run().dir()).getParent();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + ResolvedConfigWriter.FILE_NAME + " into " + s.run().dir(), e);
    }
  }

  /** Builds the components and runs the fine-tuning; returns its result. */
  public static FinetuneResult run(BevtRuntime rt, FinetuneSettings s, List<? extends FinetuneListener> listeners) {
    Finetuner.seedEngine(s.seed());
    try (RuntimeBuildContext ctx = rt.newBuildContext()) {
      Backbone backbone = buildBackbone(rt, s, ctx);
      Dataset[] data = buildData(rt, s, ctx);
      try {
        LoaderSettings loader = LoaderSettings.parse(rt.config().getConfig("bevt.data.loader"));
        return Finetuner.builder()
            .setBackbone(backbone)
            .setTrainData(data[0])
            .setValData(data[1])
            .setSettings(s)
            .setManager(ctx.manager())
            .optLoaderSettings(loader)
            .optListeners(listeners)
            .optPathResolver(ctx::resolvePath)
            .build()
            .run();
      } finally {
        data[0].close();
        data[1].close();
      }
    }
  }

  /** The backbone, with {@code drop-path-rate} overridden when {@code bevt.finetune.drop-path} is set. */
  static Backbone buildBackbone(BevtRuntime rt, FinetuneSettings s, RuntimeBuildContext ctx) {
    Config root = rt.config();
    if (s.dropPath() != null) {
      String type = root.getString("bevt.model.backbone.type");
      String key = "bevt.model.backbone." + ConfigUtil.joinPath(type) + ".drop-path-rate";
      if (!root.hasPathOrNull(key)) {
        throw new BevtConfigException(FinetuneSettings.PATH + ".drop-path", Origins.describe(root.getValue(FinetuneSettings.PATH + ".drop-path")),
            "backbone type \"" + type + "\" has no drop-path-rate setting (" + key + ")", "set bevt.finetune.drop-path = null");
      }
      root = root.withValue(key, ConfigValueFactory.fromAnyRef(s.dropPath()));
      LOG.info("backbone drop-path-rate {} for fine-tuning", s.dropPath());
    }
    return new ComponentBuilder(root, rt.registries()).backbone(ctx);
  }

  /** {@code [train, val]}: the two blocks, or a held-out split of train-data when val-split > 0. */
  static Dataset[] buildData(BevtRuntime rt, FinetuneSettings s, RuntimeBuildContext ctx) {
    String trainPath = FinetuneSettings.PATH + ".train-data";
    if (s.valSplit() > 0) {
      Config evalBlock = s.trainData()
          .withValue("mode", ConfigValueFactory.fromAnyRef("eval"))
          .withValue("batch-size", ConfigValueFactory.fromAnyRef(s.evalBatchSize()))
          .withValue("eval", s.valData().getValue("eval"));
      Dataset train = dataset(rt, s.trainData(), trainPath, ctx);
      Dataset val;
      try {
        val = dataset(rt, evalBlock, trainPath, ctx);
      } catch (RuntimeException e) {
        train.close();
        throw e;
      }
      long[][] parts = SubsetDataset.split(train.size(), s.valSplit(), Rngs.derive(s.seed(), 0x53504c49L));
      LOG.info("validation: {} of the {} training samples held out (val-split {})", parts[1].length, train.size(), s.valSplit());
      return new Dataset[] {new SubsetDataset(train, parts[0]), new SubsetDataset(val, parts[1])};
    }
    String valPath = FinetuneSettings.PATH + ".val-data";
    if (sameData(s)) {
      LOG.warn("{} reads the same data as {} (same type and {} block): validation measures training accuracy; point val-data at the "
          + "validation set or use val-split", valPath, trainPath, s.trainData().getString("type"));
    }
    Dataset train = dataset(rt, s.trainData(), trainPath, ctx);
    try {
      return new Dataset[] {train, dataset(rt, s.valData(), valPath, ctx)};
    } catch (RuntimeException e) {
      train.close();
      throw e;
    }
  }

  private static boolean sameData(FinetuneSettings s) {
    String t = s.trainData().getString("type");
    if (!t.equals(s.valData().getString("type"))) {
      return false;
    }
    String key = ConfigUtil.joinPath(t);
    boolean a = s.trainData().hasPath(key);
    boolean b = s.valData().hasPath(key);
    return a == b && (!a || s.trainData().getConfig(key).root().equals(s.valData().getConfig(key).root()));
  }

  private static Dataset dataset(BevtRuntime rt, Config block, String path, RuntimeBuildContext ctx) {
    String type = block.getString("type");
    ComponentRegistry<DatasetFactory> reg = rt.registries().datasets();
    DatasetFactory f = reg.get(type, path + ".type", Origins.describe(block.getValue("type")));
    return ComponentBuilder.create(reg, f, type, block, ctx);
  }
}
