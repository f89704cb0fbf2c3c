package org.bevt4j.core.data.loader;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.bevt4j.api.HostTensor;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;

/**
 * Collects one batch: workers {@link #put} samples into their slots (copying into the stacked
 * arrays, so stacking runs in parallel on the workers); the last one completes {@link #future}.
 */
final class BatchBuilder {
  final LoaderCursor cursor;
  final long[] indices;
  final CompletableFuture<HostBatch> future = new CompletableFuture<>();
  volatile boolean cancelled;

  private final StreamKind stream;
  private final AtomicInteger remaining;
  private final int[] labels;
  private final String[] sources;
  private float[] input;
  private long[] inputShape;
  private float[] tok;
  private long[] tokShape;
  private boolean hasTok;

  BatchBuilder(StreamKind stream, LoaderCursor cursor, long[] indices) {
    this.stream = stream;
    this.cursor = cursor;
    this.indices = indices;
    this.remaining = new AtomicInteger(indices.length);
    this.labels = new int[indices.length];
    this.sources = new String[indices.length];
  }

  void put(int slot, Sample s) {
    synchronized (this) {
      if (input == null) {
        inputShape = s.input().shape().clone();
        input = new float[Math.multiplyExact(indices.length, s.input().data().length)];
        hasTok = s.tokenizerInput() != null;
        if (hasTok) {
          tokShape = s.tokenizerInput().shape().clone();
          tok = new float[Math.multiplyExact(indices.length, s.tokenizerInput().data().length)];
        }
      }
    }
    if (!Arrays.equals(inputShape, s.input().shape()) || hasTok != (s.tokenizerInput() != null)
        || (hasTok && !Arrays.equals(tokShape, s.tokenizerInput().shape()))) {
      throw new IllegalStateException("sample " + s.source() + " has shape " + Arrays.toString(s.input().shape())
          + " but the batch started with " + Arrays.toString(inputShape) + "; samples of a batch must match");
    }
    float[] d = s.input().data();
    System.arraycopy(d, 0, input, slot * d.length, d.length);
    if (hasTok) {
      float[] t = s.tokenizerInput().data();
      System.arraycopy(t, 0, tok, slot * t.length, t.length);
    }
    labels[slot] = s.label();
    sources[slot] = s.source();
  }

  /** Marks a slot done; completes the batch when all are. */
  void done() {
    if (remaining.decrementAndGet() == 0) {
      future.complete(new HostBatch(stream, new HostTensor(input, prepend(inputShape)),
          hasTok ? new HostTensor(tok, prepend(tokShape)) : null, labels, Arrays.asList(sources), cursor));
    }
  }

  private long[] prepend(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = indices.length;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }
}
