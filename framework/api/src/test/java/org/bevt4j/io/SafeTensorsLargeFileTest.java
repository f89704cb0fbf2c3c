package org.bevt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A safetensors file above 2 GiB: a sparse file whose second tensor starts beyond 2^31 bytes, so
 * reading it exercises the 64-bit offset path (each tensor is mapped on its own). Only the two small
 * tensors are written; the hole in between takes no disk space on file systems with sparse files.
 */
class SafeTensorsLargeFileTest {
  @TempDir Path dir;

  @Test
  void tensorsBeyondTwoGigabytesAreRead() throws Exception {
    long hole = 3L * 1024 * 1024 * 1024; // 3 GiB of zeros between the tensors
    float[] a = {1f, 2f, 3f, 4f};
    float[] b = {-1.5f, 0.25f, 7f};
    long bBegin = 16 + hole;
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
        // the hole as two 1.5 GiB byte tensors (a single tensor must stay below 2 GiB)
        + "\"gap1\":{\"dtype\":\"U8\",\"shape\":[" + hole / 2 + "],\"data_offsets\":[16," + (16 + hole / 2) + "]},"
        + "\"gap2\":{\"dtype\":\"U8\",\"shape\":[" + hole / 2 + "],\"data_offsets\":[" + (16 + hole / 2) + "," + bBegin + "]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + bBegin + "," + (bBegin + 12) + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("large.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
      raf.write(len.array());
      raf.write(h);
      long dataStart = 8 + h.length;
      raf.seek(dataStart);
      raf.write(floats(a));
      raf.seek(dataStart + bBegin);
      raf.write(floats(b));
    }
    assumeThat(Files.size(file)).as("file system holds the 3 GiB sparse file").isGreaterThan(Integer.MAX_VALUE);
    StateDict sd = SafeTensors.read(file);
    assertThat(sd.get("a").toFloats()).containsExactly(a);
    assertThat(sd.get("b").toFloats()).containsExactly(b);
    assertThat(sd.get("gap2").numel()).isEqualTo(hole / 2);
    assertThat(sd.get("gap2").bytes().get((int) (hole / 2) - 1)).isZero();
  }

  private static byte[] floats(float[] v) {
    ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      bb.putFloat(f);
    }
    return bb.array();
  }
}
