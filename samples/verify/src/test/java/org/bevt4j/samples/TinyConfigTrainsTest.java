package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.train.PretrainJob;
import org.bevt4j.core.train.PretrainResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * {@code samples/configs/tiny.conf} trains with the repository's plugins through the library call
 * behind {@code bevt4j pretrain}: its geometry lines up (crop, Swin grid, tokenizer grid, decoders),
 * both stages run and inflate, the losses are finite — for each bundled backbone and tokenizer,
 * changing only their {@code type} (backbones really are swappable by configuration). The stages are
 * cut to two steps each.
 */
class TinyConfigTrainsTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} + {1}")
  @CsvSource({"video-swin, dalle", "video-swin, peco", "timesformer, dalle", "timesformer, peco"})
  void bothStagesOfTheTinySampleTrain(String backbone, String tokenizer) {
    try (BevtRuntime rt =
        BevtRuntime.builder()
            .configFile(SourceTree.root().resolve("samples/configs/tiny.conf"))
            .mode(RuntimeMode.DEVELOPMENT)
            .pluginsDir(SourceTree.root().resolve("plugins"))
            .set("bevt.train.stages=[{name=image, streams=[image], steps=2},"
                + " {name=joint, streams=[video, image], init=inflate-from-previous, steps=2}]")
            .set("bevt.model.backbone.type=" + backbone)
            .set("bevt.model.tokenizer.type=" + tokenizer)
            .set("bevt.run.dir=\"" + tmp.resolve("run-" + backbone + "-" + tokenizer) + "\"")
            .systemProperties(false)
            .workDir(tmp)
            .open()) {
      rt.validate();
      PretrainResult r = PretrainJob.run(rt, List.of());
      assertThat(r.status()).isEqualTo(PretrainResult.Status.COMPLETED);
      assertThat(r.globalStep()).isEqualTo(4);
      assertThat(r.last().videoLoss()).isFinite().isPositive();
      assertThat(r.last().imageLoss()).isFinite().isPositive();
    }
  }
}
