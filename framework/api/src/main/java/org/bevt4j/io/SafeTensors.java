package org.bevt4j.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader and writer of the safetensors format: an 8-byte little-endian header length, a JSON header
 * ({@code dtype}, {@code shape}, {@code data_offsets} relative to the end of the header, optional
 * {@code __metadata__}), then row-major data. Reading memory-maps each tensor's byte range
 * separately, so files above 2 GB work (64-bit offsets; each tensor below 2 GB). Every structural
 * problem is reported naming the file and the tensor.
 */
public final class SafeTensors {
  /** Refuse headers above this size (the format's own limit is 100 MB). */
  static final long MAX_HEADER = 100L * 1024 * 1024;

  private SafeTensors() {}

  /** Reads every tensor of a file (lazily mapped, in header order). */
  public static StateDict read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new WeightFileException(file + ": not a safetensors file (" + size + " bytes, truncated?)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw new WeightFileException(
            file + ": invalid safetensors header length " + headerLen + " for a file of " + size + " bytes");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8);
      String json = new String(hb.array(), StandardCharsets.UTF_8);
      JsonObject header;
      try {
        header = JsonParser.parseString(json).getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw new WeightFileException(file + ": malformed safetensors JSON header: " + e.getMessage(), e);
      }
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      Map<String, TensorData> out = new LinkedHashMap<>();
      Map<String, String> meta = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        String name = e.getKey();
        if (name.equals("__metadata__")) {
          for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
            meta.put(m.getKey(), m.getValue().getAsString());
          }
          continue;
        }
        out.put(name, tensor(file, ch, name, e.getValue().getAsJsonObject(), dataStart, dataLen));
      }
      return new StateDict(out, file.toString(), meta);
    } catch (IOException e) {
      throw new WeightFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static TensorData tensor(
      Path file, FileChannel ch, String name, JsonObject info, long dataStart, long dataLen) throws IOException {
    DType dtype;
    try {
      dtype = DType.fromSafetensors(info.get("dtype").getAsString());
    } catch (RuntimeException ex) {
      throw new WeightFileException(file + ": tensor \"" + name + "\": " + ex.getMessage(), ex);
    }
    var shapeArr = info.getAsJsonArray("shape");
    long[] shape = new long[shapeArr.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeArr.get(i).getAsLong();
      if (shape[i] < 0) {
        throw new WeightFileException(file + ": tensor \"" + name + "\" has a negative dimension");
      }
    }
    var offs = info.getAsJsonArray("data_offsets");
    long begin = offs.get(0).getAsLong();
    long end = offs.get(1).getAsLong();
    long expected = TensorData.numel(shape) * dtype.bytes();
    if (begin < 0 || end < begin || end > dataLen) {
      throw new WeightFileException(
          file + ": tensor \"" + name + "\" data [" + begin + ", " + end + ") lies outside the "
              + dataLen + " data bytes (file truncated?)");
    }
    if (end - begin != expected) {
      throw new WeightFileException(
          file + ": tensor \"" + name + "\" " + dtype + java.util.Arrays.toString(shape) + " needs "
              + expected + " bytes, header gives " + (end - begin));
    }
    if (expected > Integer.MAX_VALUE) {
      throw new WeightFileException(file + ": tensor \"" + name + "\" is larger than 2 GB");
    }
    ByteBuffer buf =
        expected == 0
            ? ByteBuffer.allocate(0)
            : ch.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, expected);
    return new TensorData(dtype, shape, buf.order(ByteOrder.LITTLE_ENDIAN));
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  /** Writes tensors (in map order) atomically: a temp file in the same directory, then a rename. */
  public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      JsonObject header = new JsonObject();
      if (metadata != null && !metadata.isEmpty()) {
        JsonObject m = new JsonObject();
        metadata.forEach(m::addProperty);
        header.add("__metadata__", m);
      }
      long offset = 0;
      List<TensorData> order = new ArrayList<>();
      for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
        TensorData t = e.getValue();
        JsonObject info = new JsonObject();
        info.addProperty("dtype", t.dtype().name());
        var shape = new com.google.gson.JsonArray();
        for (long s : t.shape()) {
          shape.add(s);
        }
        info.add("shape", shape);
        long len = t.numel() * t.dtype().bytes();
        var offs = new com.google.gson.JsonArray();
        offs.add(offset);
        offs.add(offset + len);
        info.add("data_offsets", offs);
        header.add(e.getKey(), info);
        offset += len;
        order.add(t);
      }
      byte[] hjson = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
      int pad = (8 - hjson.length % 8) % 8;
      byte[] hpadded = new byte[hjson.length + pad];
      System.arraycopy(hjson, 0, hpadded, 0, hjson.length);
      for (int i = hjson.length; i < hpadded.length; i++) {
        hpadded[i] = ' ';
      }
      try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hpadded.length);
        os.write(len.array());
        os.write(hpadded);
        byte[] chunk = new byte[1 << 20];
        for (TensorData t : order) {
          ByteBuffer b = t.bytes();
          while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            os.write(chunk, 0, n);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new WeightFileException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** Writes tensors without metadata. */
  public static void write(Path file, Map<String, TensorData> tensors) {
    write(file, tensors, Map.of());
  }
}
