package org.bevt4j.core.data.loader;

/**
 * Where a loader stands: the epoch and the index, within that epoch, of the next batch it will
 * return. Saved in checkpoints ({@link #toString()} / {@link #parse}); restoring it continues
 * exactly as an uninterrupted run would.
 */
public record LoaderCursor(long epoch, long batch) {
  public LoaderCursor {
    if (epoch < 0 || batch < 0) {
      throw new IllegalArgumentException("cursor fields must be >= 0, got epoch " + epoch + " batch " + batch);
    }
  }

  /** The start of training. */
  public static LoaderCursor start() {
    return new LoaderCursor(0, 0);
  }

  /** The cursor after this batch, rolling over to the next epoch after {@code batchesPerEpoch}. */
  public LoaderCursor next(long batchesPerEpoch) {
    return batch + 1 >= batchesPerEpoch ? new LoaderCursor(epoch + 1, 0) : new LoaderCursor(epoch, batch + 1);
  }

  /** {@code epoch:batch}. */
  @Override
  public String toString() {
    return epoch + ":" + batch;
  }

  /** Parses {@code epoch:batch}. */
  public static LoaderCursor parse(String s) {
    String[] p = s.trim().split(":");
    if (p.length != 2) {
      throw new IllegalArgumentException("loader cursor \"" + s + "\" is not <epoch>:<batch>");
    }
    try {
      return new LoaderCursor(Long.parseLong(p[0]), Long.parseLong(p[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("loader cursor \"" + s + "\" is not <epoch>:<batch>", e);
    }
  }
}
