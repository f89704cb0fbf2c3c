package org.bevt4j.core.data.loader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread-safe record of samples that could not be loaded: every file is logged once (WARN, with
 * the reason), every occurrence is counted, and {@link #summary()} lists them at the end of a run.
 */
public final class BadSamples {
  private static final Logger LOG = LoggerFactory.getLogger(BadSamples.class);

  private final Map<String, String> reasons = new ConcurrentHashMap<>();
  private final Set<Long> indices = ConcurrentHashMap.newKeySet();
  private final AtomicLong skipped = new AtomicLong();

  /** Records a failure of dataset sample {@code index} read from {@code source}. */
  void record(long index, String source, String reason) {
    skipped.incrementAndGet();
    indices.add(index);
    if (reasons.putIfAbsent(source, reason) == null) {
      LOG.warn("skipping bad sample {}: {}", source, reason);
    }
  }

  /** Counts another skip of a sample already known to be bad. */
  void recordKnown(long index) {
    skipped.incrementAndGet();
  }

  boolean isKnownBad(long index) {
    return indices.contains(index);
  }

  /** Slots filled by a replacement so far (a bad file counts once per time it was drawn). */
  public long skipped() {
    return skipped.get();
  }

  /** Distinct bad files and their first error. */
  public Map<String, String> files() {
    return new LinkedHashMap<>(reasons);
  }

  /** A one-paragraph report, e.g. for the end of a run. */
  public String summary() {
    if (reasons.isEmpty()) {
      return "no bad samples";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(reasons.size()).append(" bad file(s), ").append(skipped.get()).append(" skipped draw(s):");
    reasons.forEach((k, v) -> sb.append("\n  ").append(k).append(": ").append(v));
    return sb.toString();
  }
}
