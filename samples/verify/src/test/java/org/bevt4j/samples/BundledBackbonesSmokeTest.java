package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Predicate;
import org.bevt4j.api.BackboneFactory;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.TokenGrid;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.plugin.BevtPluginClassLoader;
import org.bevt4j.testkit.PluginReference;
import org.bevt4j.testkit.PluginSmokeHarness;
import org.bevt4j.testkit.SmokeReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.RuntimeMode;

/**
 * The testkit's smoke harness is generic: it runs unchanged on the bundled backbone plugins, loaded
 * by the plugin host from the source tree (their own class loaders, their own reference.conf and
 * extension index), at tiny sizes whose target grids equal a per-frame 4 x 4 tokenizer grid.
 */
class BundledBackbonesSmokeTest {
  @TempDir static Path tmp;
  private static BevtRuntime rt;

  @BeforeAll
  static void open() {
    rt =
        BevtRuntime.builder()
            .mode(RuntimeMode.DEVELOPMENT)
            .pluginsDir(SourceTree.root().resolve("plugins"))
            .systemProperties(false)
            .workDir(tmp)
            .open();
  }

  @AfterAll
  static void close() {
    if (rt != null) {
      rt.close();
    }
  }

  private static SmokeReport smoke(String type, String overrides, int size, Predicate<String> zeroByConstruction) {
    BackboneFactory f = rt.registries().backbones().get(type);
    assertThat(f.getClass().getClassLoader()).isInstanceOf(BevtPluginClassLoader.class);
    return PluginSmokeHarness.forBackbone(f)
        .optAllowNoGradient(zeroByConstruction)
        .setSettings(PluginReference.of(f.getClass()).settings("bevt.model.backbone." + type, overrides))
        .optVideoInput(2, 4, size, size)
        .optImageInput(size, size)
        .optRequireImageStream(true)
        .optExpectedTargetGrid(StreamKind.VIDEO, new TokenGrid(4, 4, 4))
        .optExpectedTargetGrid(StreamKind.IMAGE, TokenGrid.image(4, 4))
        .run();
  }

  @Test
  void videoSwinInBevtMode() {
    SmokeReport r =
        smoke(
            "video-swin",
            "preset = bevt-base, embed-dim = 16, depths = [1, 1, 1, 1], num-heads = [1, 2, 4, 8], window-size = [2, 2, 2],"
                + " drop-path-rate = 0",
            64,
            name -> false);
    assertThat(r.stream(StreamKind.VIDEO).maskGrid()).isEqualTo(new TokenGrid(2, 4, 4));
  }

  @Test
  void timesformerWithDividedAttention() {
    SmokeReport r =
        smoke(
            "timesformer",
            "preset = bevt, img-size = 32, num-frames = 4, patch-size = 8, embed-dim = 16, depth = 2, num-heads = 2,"
                + " mlp-ratio = 2.0, drop-path-rate = 0, mask-patch-size = 8, mask-frames = 2",
            32,
            // upstream initialises temporal_fc to zero in every block, so at the first step nothing
            // flows back into the temporal attention that feeds it (temporal_fc itself does learn)
            name -> name.contains(".temporal_attn.") || name.contains(".temporal_norm1."));
    assertThat(r.stream(StreamKind.VIDEO).maskGrid()).isEqualTo(new TokenGrid(2, 4, 4));
    assertThat(r.gradientNorms().get("backbone.blocks.0.temporal_fc.weight")).isPositive();
  }
}
