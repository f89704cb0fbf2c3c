package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, corrupt and foreign files fail with errors naming the file and the problem. */
class CheckpointCorruptionTest {
  @TempDir Path dir;

  private static byte[] pickle(long numel, long offset, long[] size, long[] stride) {
    return PickleBuilder.proto2().orderedDict().mark().str("w")
        .tensor("FloatStorage", "0", numel, offset, size, stride, false).setItems().stop().bytes();
  }

  private Path goodZip() throws IOException {
    return TestCheckpoints.writeZip(
        dir.resolve("good.pth"), "good", pickle(4, 0, new long[] {4}, new long[] {1}), Map.of("0", new byte[16]));
  }

  @Test
  void truncatedZipArchivesAreReportedAsSuch() throws IOException {
    byte[] all = Files.readAllBytes(goodZip());
    for (int keep : new int[] {all.length / 10, all.length / 2, all.length - 30, all.length - 1}) {
      Path cut = dir.resolve("cut" + keep + ".pth");
      Files.write(cut, Arrays.copyOf(all, keep));
      assertThatThrownBy(() -> StateDict.load(cut))
          .as("kept %d of %d bytes", keep, all.length)
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining(cut.toString())
          .hasMessageContaining("truncated or corrupt");
    }
  }

  @Test
  void corruptPickleDataIsReported() throws IOException {
    byte[] p = pickle(4, 0, new long[] {4}, new long[] {1});
    Path cut = TestCheckpoints.writeZip(dir.resolve("cutpkl.pth"), "x", Arrays.copyOf(p, p.length / 2), Map.of());
    assertThatThrownBy(() -> PyTorchCheckpoints.read(cut))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("malformed pickle x/data.pkl");
    byte[] huge = PickleBuilder.proto2().op('X').raw(PickleBuilder.le(0x7ffffff0L, 4)).raw("abc".getBytes()).bytes();
    Path big = TestCheckpoints.writeZip(dir.resolve("huge.pth"), "x", huge, Map.of());
    assertThatThrownBy(() -> PyTorchCheckpoints.read(big)).hasMessageContaining("runs past the end of the pickle");
  }

  @Test
  void storageRecordsAreReadLazilyAndCheckedWhenUsed() throws IOException {
    Path missing = TestCheckpoints.writeZip(
        dir.resolve("missing.pth"), "m", pickle(4, 0, new long[] {4}, new long[] {1}), Map.of());
    TorchCheckpoint ckpt = PyTorchCheckpoints.read(missing); // nothing read yet
    assertThat(ckpt.root()).isInstanceOf(PyOrderedDict.class);
    assertThatThrownBy(ckpt::stateDict)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("tensor \"w\"")
        .hasMessageContaining("no storage record m/data/0");
    Path shortRecord = TestCheckpoints.writeZip(
        dir.resolve("short.pth"), "s", pickle(4, 0, new long[] {4}, new long[] {1}), Map.of("0", new byte[12]));
    assertThatThrownBy(() -> PyTorchCheckpoints.loadStateDict(shortRecord))
        .hasMessageContaining("holds 12 bytes, but 4 F32 elements need 16");
  }

  @Test
  void viewsOutsideTheirStorageAreRefused() throws IOException {
    Path file = TestCheckpoints.writeZip(
        dir.resolve("oob.pth"), "o", pickle(4, 2, new long[] {2, 2}, new long[] {2, 1}), Map.of("0", new byte[16]));
    assertThatThrownBy(() -> PyTorchCheckpoints.read(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("reaches element 5 of storage 0, which has 4");
  }

  @Test
  void truncatedLegacyStoragesAreReported() throws IOException {
    Path file = TestCheckpoints.writeLegacy(
        dir.resolve("legacy.pth"), PickleBuilder.proto2().orderedDict().mark().str("w")
            .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}, true).setItems().stop().bytes(),
        List.of("0"), Map.of("0", new byte[16]), Map.of("0", 4));
    assertThat(PyTorchCheckpoints.loadStateDict(file).get("w").toFloats()).containsExactly(0, 0, 0, 0);
    byte[] all = Files.readAllBytes(file);
    Path cut = dir.resolve("legacy_cut.pth");
    Files.write(cut, Arrays.copyOf(all, all.length - 5));
    assertThatThrownBy(() -> PyTorchCheckpoints.read(cut))
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated: storage 0 needs bytes up to " + all.length);
    Path cutPickle = dir.resolve("legacy_cut2.pth");
    Files.write(cutPickle, Arrays.copyOf(all, 40));
    assertThatThrownBy(() -> PyTorchCheckpoints.read(cutPickle))
        .hasMessageContaining(cutPickle.toString())
        .hasMessageContaining("malformed or truncated legacy");
  }

  @Test
  void foreignFilesAreNotMistakenForCheckpoints() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.pth"), "hello, world\n");
    assertThatThrownBy(() -> StateDict.load(text))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(text.toString())
        .hasMessageContaining("not a PyTorch checkpoint: neither a zip archive nor the legacy format");
    Path plain = dir.resolve("plain.pkl");
    Files.write(plain, PickleBuilder.proto2().emptyDict().str("a").integer(1).setItem().stop().bytes());
    assertThatThrownBy(() -> StateDict.load(plain))
        .hasMessageContaining("not a PyTorch checkpoint")
        .hasMessageContaining("the first pickle is dict");
    Path empty = Files.write(dir.resolve("empty.pt"), new byte[0]);
    assertThatThrownBy(() -> StateDict.load(empty)).hasMessageContaining("empty file");
    Path otherZip = dir.resolve("other.pth");
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(otherZip))) {
      z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
      z.write("x".getBytes());
      z.closeEntry();
    }
    assertThatThrownBy(() -> StateDict.load(otherZip))
        .hasMessageContaining("without a top-level <folder>/data.pkl")
        .hasMessageContaining("readme.txt");
    assertThatThrownBy(() -> StateDict.load(dir.resolve("absent.pth"))).hasMessageContaining("not found");
  }

  @Test
  void safetensorsContentIsRecognisedWhateverTheName() throws IOException {
    Path st = dir.resolve("weights.bin");
    SafeTensors.write(st, Map.of("a", TensorData.ofFloats(new float[] {1, 2}, 2)));
    assertThat(StateDict.load(st).get("a").toFloats()).containsExactly(1, 2);
  }

  @Test
  void bigEndianStoragesAreRefused() throws IOException {
    Path file = dir.resolve("big.pth");
    byte[] p = pickle(4, 0, new long[] {4}, new long[] {1});
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      z.putNextEntry(new java.util.zip.ZipEntry("big/data.pkl"));
      z.write(p);
      z.putNextEntry(new java.util.zip.ZipEntry("big/byteorder"));
      z.write("big".getBytes());
      z.putNextEntry(new java.util.zip.ZipEntry("big/data/0"));
      z.write(new byte[16]);
    }
    assertThatThrownBy(() -> PyTorchCheckpoints.read(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'big' byte order");
  }

}
