package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.train.PretrainComponents;
import org.bevt4j.core.train.PretrainResult;
import org.bevt4j.core.train.Pretrainer;
import org.bevt4j.core.train.RunSettings;
import org.bevt4j.core.train.TrainSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * {@code samples/configs/tiny.conf} trains with the repository's plugins: its geometry lines up
 * (crop, Swin grid, tokenizer grid, decoders), both stages run and inflate, the losses are finite.
 * The stages are cut to two steps each; the full sample takes about half a minute on 2 cores.
 */
class TinyConfigTrainsTest {
  @TempDir Path tmp;

  @Test
  void bothStagesOfTheTinySampleTrain() {
    Path runDir = tmp.resolve("run");
    try (BevtRuntime rt =
            BevtRuntime.builder()
                .configFile(SourceTree.root().resolve("samples/configs/tiny.conf"))
                .mode(RuntimeMode.DEVELOPMENT)
                .pluginsDir(SourceTree.root().resolve("plugins"))
                .set("bevt.train.stages=[{name=image, streams=[image], steps=2},"
                    + " {name=joint, streams=[video, image], init=inflate-from-previous, steps=2}]")
                .set("bevt.run.dir=\"" + runDir + "\"")
                .set("bevt.train.device=cpu")
                .systemProperties(false)
                .workDir(tmp)
                .open();
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      rt.validate();
      Pretrainer.seedEngine(rt.settings().seed());
      PretrainComponents c =
          new PretrainComponents(
              rt.buildBackbone(ctx),
              rt.buildDecoder(StreamKind.IMAGE, ctx),
              rt.buildDecoder(StreamKind.VIDEO, ctx),
              rt.buildTokenizer(ctx),
              rt.buildMasker(StreamKind.IMAGE, ctx),
              rt.buildMasker(StreamKind.VIDEO, ctx),
              rt.buildDataset(StreamKind.IMAGE, ctx),
              rt.buildDataset(StreamKind.VIDEO, ctx));
      PretrainResult r =
          Pretrainer.builder()
              .setComponents(c)
              .setTrainSettings(TrainSettings.from(rt.config()))
              .setRunSettings(RunSettings.from(rt.config()))
              .setManager(ctx.manager())
              .optShutdownHook(false)
              .build()
              .run();
      assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
      assertThat(r.globalStep()).isEqualTo(4);
      assertThat(r.last().videoLoss()).isFinite().isPositive();
      assertThat(r.last().imageLoss()).isFinite().isPositive();
    }
  }
}
