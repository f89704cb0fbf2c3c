package org.bevt4j.core.train;

import com.google.gson.JsonElement;

/**
 * Something whose position can be saved in a checkpoint and restored, e.g. a data loader's
 * data-order cursor. The cursor is opaque to the trainer: it is stored verbatim in
 * {@code state.json} and handed back on resume.
 */
public interface ResumableSource {
  /** The current position (what {@link #restore} needs to continue from exactly here). */
  JsonElement cursor();

  /** Continues from a cursor produced by {@link #cursor()} of an identically configured source. */
  void restore(JsonElement cursor);
}
