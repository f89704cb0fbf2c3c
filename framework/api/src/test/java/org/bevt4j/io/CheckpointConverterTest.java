package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The convert engine: selection, dropping, stripping, renaming, casting, metadata and errors. */
class CheckpointConverterTest {
  @TempDir Path dir;

  static final short[] HALF = {0x3c00, (short) 0xc000, 0x0001, 0x7e00}; // 1, -2, 2^-24, NaN
  static final short[] BF16 = {0x3f80, (short) 0xbfc0, 0x0008, 0x7f80}; // 1, -1.5, subnormal, inf

  private static byte[] shorts(short[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : v) {
      b.putShort(s);
    }
    return b.array();
  }

  /** An mmcv-style checkpoint wrapped in DataParallel's {@code module.}. */
  private Path checkpoint() throws IOException {
    PickleBuilder p = PickleBuilder.proto2().emptyDict().mark();
    p.str("meta").emptyDict();
    p.str("state_dict").orderedDict().mark();
    p.str("module.backbone.patch_embed.proj.weight")
        .tensor("HalfStorage", "0", 4, 0, new long[] {2, 2}, new long[] {1, 2}, false);
    p.str("module.backbone.norm.weight").tensor("BFloat16Storage", "1", 4, 0, new long[] {4}, new long[] {1}, false);
    p.str("module.backbone.layers.0.blocks.0.attn.relative_position_index")
        .tensor("LongStorage", "2", 1, 0, new long[] {1}, new long[] {1}, false);
    p.str("module.backbone.num_batches_tracked").tensor("LongStorage", "2", 1, 0, new long[] {}, new long[] {}, false);
    p.str("module.cls_head.fc.weight").tensor("FloatStorage", "3", 2, 0, new long[] {2}, new long[] {1}, false);
    p.setItems();
    p.str("optimizer").emptyDict().str("state").emptyDict().setItem();
    Map<String, byte[]> storages = new LinkedHashMap<>();
    storages.put("0", shorts(HALF));
    storages.put("1", shorts(BF16));
    storages.put("2", PickleBuilder.le(5, 8));
    storages.put("3", new byte[8]);
    return TestCheckpoints.writeZip(dir.resolve("ckpt.pth"), "ckpt", p.setItems().stop().bytes(), storages);
  }

  @Test
  void selectsDropsStripsRenamesAndWidens() throws IOException {
    Path in = checkpoint();
    Path out = dir.resolve("out/backbone.safetensors");
    ConversionOptions o = new ConversionOptions(
        List.of("module.backbone."), List.of(), true, List.of("module.", "backbone."),
        List.of(ConversionOptions.Rename.parse("norm.=fc_norm.")), ConversionOptions.Cast.F32);
    ConversionSummary s = CheckpointConverter.convert(in, out, o);
    StateDict back = SafeTensors.read(out);
    assertThat(back.keys()).containsExactly("patch_embed.proj.weight", "fc_norm.weight");
    TensorData w = back.get("patch_embed.proj.weight");
    assertThat(w.dtype()).isEqualTo(DType.F32);
    assertThat(w.shape()).containsExactly(2, 2);
    // transposed view of [1, -2, 2^-24, NaN]: rows (1, 2^-24), (-2, NaN)
    assertThat(bits(w)).containsExactly(0x3f800000, 0x33800000, 0xc0000000, 0x7fc00000);
    assertThat(bits(back.get("fc_norm.weight"))).containsExactly(0x3f800000, 0xbfc00000, 0x00080000, 0x7f800000);
    assertThat(s.tensors()).isEqualTo(2);
    assertThat(s.widened()).isEqualTo(2);
    assertThat(s.tensorBytes()).isEqualTo(32);
    assertThat(s.fileBytes()).isEqualTo(Files.size(out));
    assertThat(s.dtypes()).containsExactly(Map.entry(DType.F32, 2));
    assertThat(s.dropped()).containsExactly(
        "module.backbone.layers.0.blocks.0.attn.relative_position_index", "module.backbone.num_batches_tracked",
        "module.cls_head.fc.weight");
    assertThat(s.container()).isEqualTo("state_dict");
    assertThat(s.describe()).contains("2 tensors").contains(out.toString());
    assertThat(back.metadata())
        .containsEntry("source_file", "ckpt.pth")
        .containsEntry("source_format", "torch-zip")
        .containsEntry("source_container", "state_dict")
        .containsEntry("select", "module.backbone.")
        .containsEntry("strip", "module.,backbone.")
        .containsEntry("rename", "norm.=fc_norm.")
        .containsEntry("cast", "f32")
        .containsEntry("source_sha256", ManifestAssertions.sha256(Files.readAllBytes(in)));
  }

  private static int[] bits(TensorData t) {
    float[] f = t.toFloats();
    int[] out = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = Float.floatToRawIntBits(f[i]);
    }
    return out;
  }

  @Test
  void keepCastPreservesHalfAndBfloat16Bytes() throws IOException {
    Path out = dir.resolve("keep.safetensors");
    ConversionOptions o = new ConversionOptions(
        List.of(), List.of("*.cls_head.*", "num_batches_tracked"), false, List.of("module."), List.of(),
        ConversionOptions.Cast.KEEP);
    ConversionSummary s = CheckpointConverter.convert(checkpoint(), out, o);
    StateDict back = SafeTensors.read(out);
    assertThat(back.keys()).containsExactly(
        "backbone.patch_embed.proj.weight", "backbone.norm.weight", "backbone.layers.0.blocks.0.attn.relative_position_index");
    assertThat(back.get("backbone.norm.weight").dtype()).isEqualTo(DType.BF16);
    assertThat(PyTorchCheckpointLayoutTest.bytes(back.get("backbone.norm.weight"))).isEqualTo(shorts(BF16));
    assertThat(back.get("backbone.patch_embed.proj.weight").dtype()).isEqualTo(DType.F16);
    assertThat(s.widened()).isZero();
    assertThat(back.metadata()).containsEntry("cast", "keep").containsEntry("drop", "*.cls_head.*,num_batches_tracked");
  }

  @Test
  void dropPatternsMatchWholeKeysDottedTailsAndGlobs() {
    ConversionOptions o = new ConversionOptions(List.of(), List.of("attn_mask", "head.*", "*.fc?"), true, null, null, null);
    assertThat(o.drops("layers.0.blocks.1.attn_mask")).isTrue();
    assertThat(o.drops("attn_mask")).isTrue();
    assertThat(o.drops("layers.0.attn_mask_x")).isFalse();
    assertThat(o.drops("head.weight")).isTrue();
    assertThat(o.drops("lm_head.weight")).isFalse();
    assertThat(o.drops("a.fc?")).isTrue();
    assertThat(o.drops("a.fc1")).as("only * is a wildcard").isFalse();
    assertThat(o.drops("x.relative_position_index")).isTrue();
    assertThat(o.cast()).isEqualTo(ConversionOptions.Cast.F32);
    assertThat(ConversionOptions.defaults().drops("x.num_batches_tracked")).isFalse();
  }

  @Test
  void badRulesAndInputsAreReportedClearly() throws IOException {
    Path in = checkpoint();
    assertThatThrownBy(() -> CheckpointConverter.convert(in, dir.resolve("x.safetensors"),
            new ConversionOptions(List.of("decoder."), null, false, null, null, null)))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(in.toString())
        .hasMessageContaining("no tensors left after select [decoder.]")
        .hasMessageContaining("module.");
    assertThatThrownBy(() -> CheckpointConverter.convert(in, in, ConversionOptions.defaults()))
        .hasMessageContaining("would overwrite the input");
    assertThatThrownBy(() -> CheckpointConverter.convert(in, dir.resolve("y.safetensors"),
            new ConversionOptions(null, null, false, List.of("module.backbone.", "module."),
                List.of(new ConversionOptions.Rename("patch_embed.proj.", "norm.")), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both map to \"norm.weight\"");
    assertThat(dir.resolve("y.safetensors")).doesNotExist();
    assertThatThrownBy(() -> ConversionOptions.Rename.parse("norm.")).hasMessageContaining("from=to");
    assertThatThrownBy(() -> ConversionOptions.Rename.parse("=x")).hasMessageContaining("from=to");
    assertThat(ConversionOptions.Rename.parse("module.=")).isEqualTo(new ConversionOptions.Rename("module.", ""));
    assertThatThrownBy(() -> ConversionOptions.Cast.parse("f64")).hasMessageContaining("keep, f32");
    assertThat(ConversionOptions.Cast.parse("Keep")).isEqualTo(ConversionOptions.Cast.KEEP);
    assertThatThrownBy(() -> new ConversionOptions(List.of(""), null, false, null, null, null))
        .hasMessageContaining("select");
  }
}
