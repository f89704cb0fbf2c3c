package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TimeSformerFlopsTest {
  @Test
  void vitBaseAtEightFramesIsThePapersFigure() {
    // TimeSformer paper: 0.59 TFLOPs for 3 views of 8x224^2, i.e. ~196 G multiply-adds per view
    FlopCount f = TimeSformerFlops.video(TimeSformerFlops.vitBase(), 1, 8, 224, 224);
    assertThat(f.macs() / 1e9).isCloseTo(196, within(2.0));
    assertThat(f.parts()).containsOnlyKeys("patch_embed", "blocks.temporal", "blocks.spatial", "blocks.mlp");
  }

  @Test
  void tinyDividedBlockByHand() {
    // C 4, 2 heads (hd 2), hidden 8, 1 block; 1 clip of 2 frames at 4x4 with patch 2: N = 4, t = 2
    TimeSformerFlops.Config c = new TimeSformerFlops.Config(3, 2, 4, 1, 2, 2.0,
        TimeSformerFlops.AttentionType.DIVIDED_SPACE_TIME, 1, 2, false);
    FlopCount f = TimeSformerFlops.video(c, 1, 2, 4, 4);
    assertThat(f.parts().get("patch_embed")).isEqualTo(2L * 2 * 4 * 4 * (3 * 4)); // 2 frames x 4 patches x C 4 x 12
    long temporal = 2L * 8 * 4 * 12 + 2L * 4 * 2 * 2 * 2 * (2 + 2) + 2L * 8 * 4 * 4 * 2; // qkv, products, proj + fc
    assertThat(f.parts().get("blocks.temporal")).isEqualTo(temporal);
    long spatial = 2L * 10 * 4 * 12 + 2L * 2 * 2 * 5 * 5 * (2 + 2) + 2L * 10 * 4 * 4;
    assertThat(f.parts().get("blocks.spatial")).isEqualTo(spatial);
    assertThat(f.parts().get("blocks.mlp")).isEqualTo(2L * 9 * 4 * 8 * 2);
    // the image stream (skip mode) is the plain ViT on N + 1 tokens
    FlopCount img = TimeSformerFlops.image(c, 2, 4, 4);
    assertThat(img.parts().get("blocks.attn")).isEqualTo(2L * 10 * 4 * 12 + 2L * 2 * 2 * 5 * 5 * 4 + 2L * 10 * 4 * 4);
    assertThat(img.parts().get("blocks.mlp")).isEqualTo(2L * 10 * 4 * 8 * 2);
  }

  @Test
  void decoderAndValidation() {
    // patch 8, mask cell 16: 2x2 tokens merge into one target, Linear(4C -> C)
    TimeSformerFlops.Config merge = new TimeSformerFlops.Config(3, 8, 4, 1, 1, 1.0,
        TimeSformerFlops.AttentionType.JOINT_SPACE_TIME, 1, 16, false);
    FlopCount f = TimeSformerFlops.video(merge, 1, 2, 16, 16);
    assertThat(f.parts().get("decoder.lm_up")).isEqualTo(2L * (2 * 1 * 1) * 16 * 4);
    assertThat(TimeSformerFlops.AttentionType.parse("space-only")).isEqualTo(TimeSformerFlops.AttentionType.SPACE_ONLY);
    assertThatThrownBy(() -> TimeSformerFlops.AttentionType.parse("axial")).hasMessageContaining("axial");
    assertThatThrownBy(() -> new TimeSformerFlops.Config(3, 16, 10, 1, 3, 4.0,
        TimeSformerFlops.AttentionType.SPACE_ONLY, 1, 16, false)).hasMessageContaining("not divisible by num_heads 3");
    assertThatThrownBy(() -> TimeSformerFlops.video(TimeSformerFlops.vitBase(), 1, 0, 224, 224)).hasMessageContaining("frames=0");
  }
}
