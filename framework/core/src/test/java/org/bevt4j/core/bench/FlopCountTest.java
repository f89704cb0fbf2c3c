package org.bevt4j.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FlopCountTest {
  @Test
  void layerFormulasByHand() {
    assertThat(FlopCount.linear(10, 3, 4)).isEqualTo(2 * 10 * 3 * 4);
    assertThat(FlopCount.matmul(2, 3, 4, 5)).isEqualTo(2 * 2 * 3 * 4 * 5);
    // 3x3 conv 3->8 on a 4x4 output: each output element does 3*9 multiply-adds
    assertThat(FlopCount.conv(1, 3, 8, new long[] {4, 4}, new long[] {3, 3}, 1))
        .isEqualTo(2L * 8 * 16 * 27);
    // depthwise: groups = cin
    assertThat(FlopCount.conv(2, 8, 8, new long[] {5}, new long[] {3}, 8)).isEqualTo(2L * 2 * 8 * 5 * 3);
    // transposed conv k=s=2 on a 2x2 input: every input element scatters cin*cout*4
    assertThat(FlopCount.convTranspose(1, 2, 3, new long[] {2, 2}, new long[] {2, 2}))
        .isEqualTo(2L * 2 * 4 * 3 * 4);
    // q·kᵀ: 2x4 by 4x3 ; p·v: 2x3 by 3x5
    assertThat(FlopCount.attention(1, 1, 2, 3, 4, 5)).isEqualTo(2L * 2 * 3 * 4 + 2L * 2 * 3 * 5);
    assertThat(FlopCount.backward(7)).isEqualTo(14);
    assertThat(FlopCount.trainingStep(7)).isEqualTo(21);
  }

  @Test
  void breakdownAccumulatesAndGuards() {
    FlopCount f = new FlopCount().add("a.x", 10).add("b", 5).add("a.x", 1).add("a.y", 4);
    assertThat(f.parts()).containsExactly(
        org.assertj.core.api.Assertions.entry("a.x", 11L),
        org.assertj.core.api.Assertions.entry("b", 5L),
        org.assertj.core.api.Assertions.entry("a.y", 4L));
    assertThat(f.total()).isEqualTo(20);
    assertThat(f.total("a.")).isEqualTo(15);
    assertThat(f.macs()).isEqualTo(10);
    assertThat(new FlopCount().addAll("v.", f).parts()).containsKeys("v.a.x", "v.b", "v.a.y");
    assertThatThrownBy(() -> f.add("neg", -1)).hasMessageContaining("neg");
    assertThatThrownBy(() -> FlopCount.linear(Long.MAX_VALUE / 2, 3, 1))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> FlopCount.conv(1, 3, 4, new long[] {2}, new long[] {2, 2}, 1))
        .hasMessageContaining("same number of dims");
    assertThatThrownBy(() -> FlopCount.conv(1, 3, 4, new long[] {2}, new long[] {2}, 2))
        .hasMessageContaining("groups 2 must divide cin 3");
  }

  @Test
  void tinyVideoSwinByHandWithClippedAndPaddedWindows() {
    // C0 4, stages (1 block, 1 head), (1 block, 2 heads), patch (1,2,2), window 2, mlp 2,
    // input 3x6x6 -> patch grid 3x3x3 (window 2 on every axis, padded to 4x4x4 = 64 tokens)
    VideoSwinFlops.Config c = new VideoSwinFlops.Config(3, new int[] {1, 2, 2}, 4,
        new int[] {1, 1}, new int[] {1, 2}, new int[] {2, 2, 2}, 2.0);
    FlopCount f = VideoSwinFlops.video(c, 1, 3, 6, 6);
    assertThat(f.parts().get("patch_embed")).isEqualTo(2L * 4 * 27 * 3 * 4);
    assertThat(f.parts().get("stage0.qkv")).isEqualTo(2L * 64 * 4 * 12);
    assertThat(f.parts().get("stage0.attn")).isEqualTo(2L * 8 * 1 * 8 * 8 * (4 + 4)); // 8 windows of 8
    assertThat(f.parts().get("stage0.proj")).isEqualTo(2L * 64 * 4 * 4);
    assertThat(f.parts().get("stage0.mlp")).isEqualTo(2L * 27 * 4 * 8 * 2); // unpadded tokens
    assertThat(f.parts().get("stage0.merge")).isEqualTo(2L * (3 * 2 * 2) * 16 * 8); // 3x3 -> 2x2
    // stage 1: grid 3x2x2, window (2,2,2) (h, w clipped to the size), padded 4x2x2 = 16
    assertThat(f.parts().get("stage1.qkv")).isEqualTo(2L * 16 * 8 * 24);
    assertThat(f.parts().get("stage1.attn")).isEqualTo(2L * 2 * 2 * 8 * 8 * (4 + 4));
    assertThat(f.parts().get("stage1.proj")).isEqualTo(2L * 16 * 8 * 8);
    assertThat(f.parts().get("stage1.mlp")).isEqualTo(2L * 12 * 8 * 16 * 2);
    assertThat(f.parts()).doesNotContainKey("stage1.merge");
    assertThat(f.total()).isEqualTo(43936);
  }

  @Test
  void videoSwinMatchesThePublishedMultiplyAddCounts() {
    // Video Swin paper, 32x224x224 per view: T 88G, S 166G, B 282G (multiply-adds)
    assertThat(VideoSwinFlops.video(VideoSwinFlops.swinT(), 1, 32, 224, 224).macs() / 1e9)
        .isCloseTo(88, within(1.0));
    assertThat(VideoSwinFlops.video(VideoSwinFlops.swinS(), 1, 32, 224, 224).macs() / 1e9)
        .isCloseTo(166, within(1.5));
    assertThat(VideoSwinFlops.video(VideoSwinFlops.swinB(), 1, 32, 224, 224).macs() / 1e9)
        .isCloseTo(282, within(2.5));
    // batch scales linearly
    assertThat(VideoSwinFlops.video(VideoSwinFlops.swinT(), 3, 16, 224, 224).total())
        .isEqualTo(3 * VideoSwinFlops.video(VideoSwinFlops.swinT(), 1, 16, 224, 224).total());
  }

  @Test
  void bevtDecodersAndHeadByHand() {
    VideoSwinFlops.Config b = VideoSwinFlops.swinB();
    FlopCount v = VideoSwinFlops.bevtVideo(b, 1, 16, 224, 224, 8192);
    // x4 grid 8x7x7, x3 grid 8x14x14, F 1024, stage-3 width 512
    assertThat(v.parts().get("decoder.fpn_s")).isEqualTo(2L * 1024 * 392 * 1024 * 4);
    assertThat(v.parts().get("decoder.lm_down_st")).isEqualTo(2L * 1568 * 1536 * 1024);
    assertThat(v.parts().get("decoder.fpn_t")).isEqualTo(2L * 1024 * 1568 * 1024 * 2);
    assertThat(v.parts().get("head.lm_head")).isEqualTo(2L * 3136 * 1024 * 8192);
    assertThat(v.total("stage") + v.parts().get("patch_embed"))
        .isEqualTo(VideoSwinFlops.video(b, 1, 16, 224, 224).total());

    FlopCount i = VideoSwinFlops.bevtImage(b, 2, 224, 224, 8192);
    assertThat(i.parts().get("patch_embed")).isEqualTo(2L * 2 * 128 * 56 * 56 * 3 * 16);
    assertThat(i.parts().get("stage0.attn")).isEqualTo(2 * (2L * 2 * 64 * 4 * 49 * 49 * 64)); // depth 2
    assertThat(i.parts().get("decoder.fpn")).isEqualTo(2L * 2 * 1024 * 49 * 1024 * 4);
    assertThat(i.parts().get("decoder.lm_down")).isEqualTo(2L * 2 * 196 * 1536 * 1024);
    assertThat(i.parts().get("head.lm_head")).isEqualTo(2L * 2 * 196 * 1024 * 8192);
    assertThatThrownBy(() -> VideoSwinFlops.image(b, 1, 200, 224))
        .hasMessageContaining("not divisible by the 2-D window");
    assertThatThrownBy(() -> new VideoSwinFlops.Config(3, new int[] {2, 4, 4}, 96,
        new int[] {2, 2}, new int[] {5, 6}, new int[] {8, 7, 7}, 4))
        .hasMessageContaining("width 96 is not divisible by num_heads[0] = 5");
  }

  @Test
  void dalleEncoderByHand() {
    // hidden 4 (res widths out/4), 1 block per group, 8x8 input, vocab 16
    FlopCount f = DalleEncoderFlops.forward(1, 8, 4, 1, 16);
    assertThat(f.parts().get("input")).isEqualTo(2L * 64 * 4 * 3 * 49);
    assertThat(f.parts().get("group_1.block_1.res_path"))
        .isEqualTo(2L * 64 * 1 * 4 * 9 + 2 * (2L * 64 * 1 * 1 * 9) + 2L * 64 * 4 * 1);
    assertThat(f.parts()).doesNotContainKey("group_1.block_1.id_path");
    assertThat(f.parts().get("group_2.block_1.id_path")).isEqualTo(2L * 16 * 8 * 4);
    assertThat(f.parts().get("output")).isEqualTo(2L * 1 * 16 * 32);
    assertThat(f.total()).isEqualTo(102144);
  }
}
