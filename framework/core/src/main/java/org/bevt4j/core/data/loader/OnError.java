package org.bevt4j.core.data.loader;

/** What the loader does with a missing, truncated or undecodable sample. */
public enum OnError {
  /** Log the file once, count it, and fill the slot with a deterministic replacement sample. */
  SKIP,
  /** Stop: the next call to {@link DataLoader#next()} throws, naming the file. */
  FAIL
}
