package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.junit.jupiter.api.Test;

class StepPresetTest {
  /** The preset's assignments as a config (what the runtime would resolve, without plugin defaults). */
  static Config config(StepPreset p) {
    return ConfigFactory.parseString(String.join("\n", p.sets())).resolve();
  }

  @Test
  void everyPresetNamesItsArchitectureExplicitly() {
    for (String b : StepPreset.BACKBONES) {
      for (String s : StepPreset.SIZES) {
        StepPreset p = StepPreset.of(b, s);
        assertThat(p.id()).isEqualTo(b + "/" + s);
        Config c = config(p);
        assertThat(c.getString("bevt.model.backbone.type")).isEqualTo(b);
        assertThat(p.vocab()).isEqualTo(8192);
        assertThat(ModelFlops.supports(b)).isTrue();
        // the FLOP count reads the same keys: it must be computable from the preset alone
        FlopCount v = ModelFlops.forward(c, b, StreamKind.VIDEO, p.clips(), p.frames(), p.resolution());
        FlopCount i = ModelFlops.forward(c, b, StreamKind.IMAGE, p.images(), 1, p.resolution());
        assertThat(v.total()).isPositive();
        assertThat(i.total()).isPositive();
      }
    }
    // the small preset: Swin-T widths, 1 clip 16x224^2 + 4 images
    StepPreset small = StepPreset.of("video-swin", "small");
    assertThat(config(small).getIntList("bevt.model.backbone.video-swin.depths")).containsExactly(2, 2, 6, 2);
    assertThat(small.clips() + "x" + small.frames() + " + " + small.images()).isEqualTo("1x16 + 4");
    assertThat(StepPreset.of("video-swin", "base").images()).isEqualTo(1);
  }

  @Test
  void swinFlopsMatchTheDirectCount() {
    StepPreset p = StepPreset.of("video-swin", "small");
    FlopCount viaConfig = ModelFlops.forward(config(p), "video-swin", StreamKind.VIDEO, 1, 16, 224);
    FlopCount direct = VideoSwinFlops.bevtVideo(VideoSwinFlops.swinT(), 1, 16, 224, 224, 0);
    assertThat(viaConfig.parts()).isEqualTo(direct.parts());
    assertThat(ModelFlops.head(10, 768, 8192)).isEqualTo(2L * 10 * 768 * 8192);
  }

  @Test
  void errorsNameWhatIsWrong() {
    assertThatThrownBy(() -> StepPreset.of("resnet", "small")).hasMessageContaining("resnet").hasMessageContaining("video-swin");
    assertThatThrownBy(() -> StepPreset.of("video-swin", "huge")).hasMessageContaining("huge").hasMessageContaining("tiny");
    Config named = ConfigFactory.parseString("bevt.model.backbone.video-swin.preset = bevt-base");
    assertThatThrownBy(() -> ModelFlops.forward(named, "video-swin", StreamKind.VIDEO, 1, 16, 224))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("video-swin.preset")
        .hasMessageContaining("bevt-base");
    // timesformer keys left out take the ViT-B/16 values of every preset
    Config tsf = ConfigFactory.parseString("bevt.model.backbone.timesformer { num-frames = 8 }");
    assertThat(ModelFlops.forward(tsf, "timesformer", StreamKind.VIDEO, 1, 8, 224).macs() / 1e9)
        .isBetween(190.0, 200.0);
    assertThatThrownBy(() -> new StepPreset("x", "y", java.util.List.of(), 0, 1, 0, 8, 16)).hasMessageContaining("not both 0");
  }

  @Test
  void maskToTargetUpsampling() {
    // mask grid 2x2x2 (t, h, w) onto a target grid 4x2x2: each mask slot covers two target frames
    int[] map = org.bevt4j.core.train.MaskedBatch.upsampleMap(new TokenGrid(2, 2, 2), new TokenGrid(4, 2, 2));
    assertThat(map).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7);
  }
}
