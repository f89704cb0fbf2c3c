package org.bevt4j.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer ids and LR scales from parameter names, against hand-written values. */
class LayerIdsTest {
  /** Swin-like names as the fine-tuning model has them (backbone. prefix, mmaction head). */
  static List<String> swinNames(int[] depths) {
    List<String> n = new ArrayList<>(List.of(
        "backbone.patch_embed.proj.weight", "backbone.patch_embed.proj.bias", "backbone.patch_embed.norm.weight"));
    for (int i = 0; i < depths.length; i++) {
      for (int j = 0; j < depths[i]; j++) {
        String b = "backbone.layers." + i + ".blocks." + j + ".";
        n.addAll(List.of(b + "norm1.weight", b + "attn.qkv.weight", b + "attn.relative_position_bias_table", b + "mlp.fc2.bias"));
      }
      if (i < depths.length - 1) {
        n.addAll(List.of("backbone.layers." + i + ".downsample.reduction.weight", "backbone.layers." + i + ".downsample.norm.weight"));
      }
    }
    n.addAll(List.of("backbone.norm.weight", "backbone.norm.bias", "cls_head.fc_cls.weight", "cls_head.fc_cls.bias"));
    return n;
  }

  @Test
  void swinBaseMatchesBevtK400Keys() {
    // BEVT's K400 config spells the multipliers out per key (lw_lr_decay = 0.9)
    LayerIds ids = LayerIds.of(swinNames(new int[] {2, 2, 18, 2}), true);
    assertThat(ids.family()).isEqualTo(LayerIds.Family.SWIN);
    assertThat(ids.top()).isEqualTo(28);
    double d = 0.9;
    Map<String, Double> expected = Map.ofEntries(
        Map.entry("backbone.norm.weight", d),
        Map.entry("backbone.layers.3.blocks.1.attn.qkv.weight", d),
        Map.entry("backbone.layers.3.blocks.0.mlp.fc2.bias", Math.pow(d, 2)),
        Map.entry("backbone.layers.2.downsample.reduction.weight", Math.pow(d, 3)),
        Map.entry("backbone.layers.2.blocks.17.norm1.weight", Math.pow(d, 4)),
        Map.entry("backbone.layers.2.blocks.1.attn.qkv.weight", Math.pow(d, 20)),
        Map.entry("backbone.layers.2.blocks.0.attn.relative_position_bias_table", Math.pow(d, 21)),
        Map.entry("backbone.layers.1.downsample.norm.weight", Math.pow(d, 22)),
        Map.entry("backbone.layers.1.blocks.1.norm1.weight", Math.pow(d, 23)),
        Map.entry("backbone.layers.1.blocks.0.norm1.weight", Math.pow(d, 24)),
        Map.entry("backbone.layers.0.downsample.reduction.weight", Math.pow(d, 25)),
        Map.entry("backbone.layers.0.blocks.1.norm1.weight", Math.pow(d, 26)),
        Map.entry("backbone.layers.0.blocks.0.attn.qkv.weight", Math.pow(d, 27)),
        Map.entry("backbone.patch_embed.proj.weight", Math.pow(d, 28)),
        Map.entry("backbone.patch_embed.norm.weight", Math.pow(d, 28)),
        Map.entry("cls_head.fc_cls.weight", 1.0));
    expected.forEach((name, scale) -> assertThat(ids.scale(name, d)).as(name).isCloseTo(scale, within(1e-12)));
  }

  @Test
  void swinWithoutMergingLayersCountsBlocksOnly() {
    LayerIds ids = LayerIds.of(swinNames(new int[] {2, 2, 6, 2}), false);
    assertThat(ids.top()).isEqualTo(13);
    assertThat(ids.layerOf("backbone.patch_embed.proj.weight")).isZero();
    assertThat(ids.layerOf("backbone.layers.0.blocks.0.norm1.weight")).isEqualTo(1);
    assertThat(ids.layerOf("backbone.layers.0.downsample.reduction.weight")).isEqualTo(2); // with stage 0's last block
    assertThat(ids.layerOf("backbone.layers.1.blocks.0.norm1.weight")).isEqualTo(3);
    assertThat(ids.layerOf("backbone.layers.2.blocks.5.norm1.weight")).isEqualTo(10);
    assertThat(ids.layerOf("backbone.layers.3.blocks.1.norm1.weight")).isEqualTo(12);
    assertThat(ids.layerOf("backbone.norm.weight")).isEqualTo(12);
    assertThat(ids.layerOf("cls_head.fc_cls.bias")).isEqualTo(13);
    assertThat(ids.scale("backbone.layers.1.blocks.0.norm1.weight", 0.75)).isCloseTo(Math.pow(0.75, 10), within(1e-12));
  }

  @Test
  void tinySwinWithMergingLayers() {
    // the tiny sample config: depths [1, 1, 1, 1] -> 4 blocks + 3 merges
    LayerIds ids = LayerIds.of(swinNames(new int[] {1, 1, 1, 1}), true);
    assertThat(ids.describe(List.of("backbone.patch_embed.proj.weight", "backbone.layers.0.blocks.0.norm1.weight",
        "backbone.layers.0.downsample.norm.weight", "backbone.layers.1.blocks.0.norm1.weight", "backbone.layers.2.downsample.norm.weight",
        "backbone.layers.3.blocks.0.norm1.weight", "backbone.norm.bias", "cls_head.fc_cls.weight")))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "backbone.patch_embed.proj.weight", 0, "backbone.layers.0.blocks.0.norm1.weight", 1,
            "backbone.layers.0.downsample.norm.weight", 2, "backbone.layers.1.blocks.0.norm1.weight", 3,
            "backbone.layers.2.downsample.norm.weight", 6, "backbone.layers.3.blocks.0.norm1.weight", 7,
            "backbone.norm.bias", 7, "cls_head.fc_cls.weight", 8));
  }

  @Test
  void vitNamesFollowBeitRule() {
    List<String> names = new ArrayList<>(List.of("backbone.cls_token", "backbone.pos_embed", "backbone.time_embed", "backbone.mask_token",
        "backbone.patch_embed.proj.weight", "backbone.patch_embed_2d.proj.weight"));
    for (int i = 0; i < 12; i++) {
      names.add("backbone.blocks." + i + ".attn.qkv.weight");
      names.add("backbone.blocks." + i + ".temporal_attn.proj.bias");
    }
    names.addAll(List.of("backbone.norm.weight", "backbone.head.weight", "cls_head.fc_cls.weight"));
    LayerIds ids = LayerIds.of(names, true);
    assertThat(ids.family()).isEqualTo(LayerIds.Family.VIT);
    assertThat(ids.top()).isEqualTo(13);
    double d = 0.75;
    for (String emb : List.of("backbone.cls_token", "backbone.pos_embed", "backbone.time_embed", "backbone.mask_token",
        "backbone.patch_embed.proj.weight", "backbone.patch_embed_2d.proj.weight")) {
      assertThat(ids.scale(emb, d)).as(emb).isCloseTo(Math.pow(d, 13), within(1e-12));
    }
    assertThat(ids.scale("backbone.blocks.0.attn.qkv.weight", d)).isCloseTo(Math.pow(d, 12), within(1e-12));
    assertThat(ids.scale("backbone.blocks.5.temporal_attn.proj.bias", d)).isCloseTo(Math.pow(d, 7), within(1e-12));
    assertThat(ids.scale("backbone.blocks.11.attn.qkv.weight", d)).isCloseTo(d, within(1e-12));
    assertThat(ids.scale("backbone.norm.weight", d)).isEqualTo(1.0);
    assertThat(ids.scale("backbone.head.weight", d)).isEqualTo(1.0);
    assertThat(ids.scale("cls_head.fc_cls.weight", d)).isEqualTo(1.0);
  }

  @Test
  void namesWithoutPrefixAndUnknownNames() {
    LayerIds ids = LayerIds.of(List.of("patch_embed.weight", "blocks.0.fc.weight", "blocks.1.fc.weight", "decoder.lm_down.weight"), true);
    assertThat(ids.layerOf("patch_embed.weight")).isZero();
    assertThat(ids.layerOf("blocks.1.fc.weight")).isEqualTo(2);
    assertThat(ids.layerOf("decoder.lm_down.weight")).isEqualTo(ids.top()).isEqualTo(3);
    assertThat(ids.scale("decoder.lm_down.weight", 0.5)).isEqualTo(1.0);
    // names following neither convention: no decay at all
    LayerIds none = LayerIds.of(List.of("conv1.weight", "fc.weight"), true);
    assertThat(none.family()).isEqualTo(LayerIds.Family.NONE);
    assertThat(none.scale("conv1.weight", 0.5)).isEqualTo(1.0);
    // decay 1 = off
    assertThat(ids.scale("patch_embed.weight", 1.0)).isEqualTo(1.0);
  }
}
