package org.bevt4j.core.dist;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bevt4j.io.DType;
import org.bevt4j.io.TensorData;

/**
 * Small collective helpers on top of a {@link Communicator}: agreement on flags, sums of a few
 * doubles, broadcast of strings and of whole tensor maps (model or optimizer state) from rank 0.
 * Every rank must call the same helper in the same order (they are collectives).
 */
public final class Collectives {
  private Collectives() {}

  /** Whether {@code local} is true on any rank. */
  public static boolean any(Communicator comm, boolean local) {
    if (comm.worldSize() == 1) {
      return local;
    }
    ByteBuffer b = doubles(1);
    b.putDouble(0, local ? 1 : 0);
    comm.allReduceMaxDoubles(b, 1);
    return b.getDouble(0) > 0;
  }

  /** Element-wise sums of {@code values} over the ranks, in place; returns {@code values}. */
  public static double[] sum(Communicator comm, double[] values) {
    if (comm.worldSize() == 1 || values.length == 0) {
      return values;
    }
    ByteBuffer b = doubles(values.length);
    for (int i = 0; i < values.length; i++) {
      b.putDouble(i * 8, values[i]);
    }
    comm.allReduceSumDoubles(b, values.length);
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getDouble(i * 8);
    }
    return values;
  }

  /** Element-wise maxima of {@code values} over the ranks, in place; returns {@code values}. */
  public static double[] max(Communicator comm, double[] values) {
    if (comm.worldSize() == 1 || values.length == 0) {
      return values;
    }
    ByteBuffer b = doubles(values.length);
    for (int i = 0; i < values.length; i++) {
      b.putDouble(i * 8, values[i]);
    }
    comm.allReduceMaxDoubles(b, values.length);
    for (int i = 0; i < values.length; i++) {
      values[i] = b.getDouble(i * 8);
    }
    return values;
  }

  /** Rank 0's bytes on every rank ({@code rootValue} is ignored elsewhere and may be null there). */
  public static byte[] broadcastBytes(Communicator comm, byte[] rootValue) {
    if (comm.worldSize() == 1) {
      return rootValue;
    }
    ByteBuffer len = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    if (comm.isRoot()) {
      len.putLong(0, rootValue.length);
    }
    comm.broadcast(len, 8, 0);
    int n = Math.toIntExact(len.getLong(0));
    ByteBuffer data = ByteBuffer.allocateDirect(Math.max(1, n));
    if (comm.isRoot()) {
      data.put(rootValue).flip();
    }
    if (n > 0) {
      comm.broadcast(data, n, 0);
    }
    byte[] out = new byte[n];
    data.get(0, out);
    return out;
  }

  /** Rank 0's string on every rank. */
  public static String broadcastString(Communicator comm, String rootValue) {
    byte[] b = broadcastBytes(comm, comm.isRoot() ? rootValue.getBytes(StandardCharsets.UTF_8) : null);
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * Rank 0's tensors on every rank, in rank 0's order, sent in chunks of at most {@code chunkBytes}.
   * Names, dtypes and shapes travel too, so the other ranks may pass anything (even an empty map).
   */
  public static Map<String, TensorData> broadcastTensors(Communicator comm, Map<String, TensorData> rootTensors, long chunkBytes) {
    if (comm.worldSize() == 1) {
      return rootTensors;
    }
    StringBuilder header = new StringBuilder();
    if (comm.isRoot()) {
      for (Map.Entry<String, TensorData> e : rootTensors.entrySet()) {
        header.append(e.getKey()).append('\t').append(e.getValue().dtype().name());
        for (long d : e.getValue().shape()) {
          header.append('\t').append(d);
        }
        header.append('\n');
      }
    }
    String h = broadcastString(comm, header.toString());
    Map<String, TensorData> out = new LinkedHashMap<>();
    int chunk = (int) Math.max(1, Math.min(chunkBytes, Integer.MAX_VALUE - 8));
    ByteBuffer buf = ByteBuffer.allocateDirect(chunk);
    for (String line : h.isEmpty() ? new String[0] : h.split("\n")) {
      String[] f = line.split("\t");
      DType dtype = DType.valueOf(f[1]);
      long[] shape = new long[f.length - 2];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = Long.parseLong(f[i + 2]);
      }
      long bytes = TensorData.numel(shape) * dtype.bytes();
      ByteBuffer target = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer src = comm.isRoot() ? rootTensors.get(f[0]).bytes() : null;
      for (long off = 0; off < bytes; off += chunk) {
        int n = (int) Math.min(chunk, bytes - off);
        buf.clear();
        if (comm.isRoot()) {
          ByteBuffer part = src.duplicate();
          part.position((int) off).limit((int) off + n);
          buf.put(part);
        }
        comm.broadcast(buf, n, 0);
        buf.position(0).limit(n);
        target.put(buf);
      }
      target.flip();
      out.put(f[0], new TensorData(dtype, shape, target));
    }
    return out;
  }

  private static ByteBuffer doubles(int n) {
    return ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder());
  }
}
