package org.bevt4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A torch storage that a checkpoint refers to through a persistent id: its record key, element type
 * and length. Its bytes are read from the file the first time a tensor needs them, then kept (a
 * memory map or a slice of one, for large records). Several tensors may share one storage.
 */
public final class TorchStorage {
  /** Supplies the raw little-endian bytes of a storage record. */
  @FunctionalInterface
  interface Records {
    ByteBuffer read(String key, DType dtype, long numel) throws IOException;
  }

  private final String key;
  private final DType dtype;
  private final long numel;
  private final String location;
  private final Records records;
  private final TorchStorage base;
  private final long baseOffset;
  private ByteBuffer bytes;

  TorchStorage(String key, DType dtype, long numel, String location, Records records) {
    this(key, dtype, numel, location, records, null, 0);
  }

  private TorchStorage(
      String key, DType dtype, long numel, String location, Records records, TorchStorage base, long baseOffset) {
    if (numel < 0) {
      throw new IllegalArgumentException("storage " + key + " has a negative length " + numel);
    }
    this.key = key;
    this.dtype = dtype;
    this.numel = numel;
    this.location = location;
    this.records = records;
    this.base = base;
    this.baseOffset = baseOffset;
  }

  /** A view of {@code numel} elements starting at element {@code offset} of this storage (legacy format). */
  TorchStorage view(String viewKey, long offset, long viewNumel) {
    if (offset < 0 || viewNumel < 0 || offset > numel - viewNumel) {
      throw new IllegalArgumentException(
          "storage view " + viewKey + " [" + offset + ", +" + viewNumel + ") lies outside storage " + key + " of "
              + numel + " elements");
    }
    return new TorchStorage(viewKey, dtype, viewNumel, location, records, this, offset);
  }

  /** The record key ({@code data/<key>} in the zip format, a decimal id in the legacy format). */
  public String key() {
    return key;
  }

  /** The record holding the bytes: the key of the viewed storage for a legacy view, else {@link #key()}. */
  public String recordKey() {
    return base != null ? base.recordKey() : key;
  }

  public DType dtype() {
    return dtype;
  }

  /** Number of elements. */
  public long numel() {
    return numel;
  }

  /** The device it was saved from (e.g. {@code cpu}, {@code cuda:0}); data is always read to the host. */
  public String location() {
    return location;
  }

  /** The storage's bytes, little-endian, read on first use. */
  synchronized ByteBuffer bytes() throws IOException {
    if (bytes == null) {
      if (base != null) {
        ByteBuffer all = base.bytes();
        int es = dtype.bytes();
        bytes = all.slice((int) (baseOffset * es), (int) (numel * es)).order(ByteOrder.LITTLE_ENDIAN);
      } else {
        ByteBuffer b = records.read(key, dtype, numel);
        long need = Math.multiplyExact(numel, (long) dtype.bytes());
        if (b.remaining() < need) {
          throw new IOException(
              "storage record " + key + " holds " + b.remaining() + " bytes, but " + numel + " " + dtype
                  + " elements need " + need);
        }
        bytes = b.slice(b.position(), (int) need).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public String toString() {
    return "TorchStorage(" + key + ", " + dtype + " x " + numel + ")";
  }
}
