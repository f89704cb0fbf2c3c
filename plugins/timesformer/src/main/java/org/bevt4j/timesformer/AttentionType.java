package org.bevt4j.timesformer;

import java.util.Arrays;
import java.util.Locale;

/**
 * TimeSformer's {@code attention_type}, with the exact upstream semantics of each.
 *
 * <ul>
 *   <li>{@link #DIVIDED_SPACE_TIME}: per block, temporal attention over each patch position's
 *       frames (cls excluded, result through {@code temporal_fc}), then spatial attention per frame
 *       with the cls token repeated per frame and its result averaged over frames, then the MLP.
 *   <li>{@link #SPACE_ONLY}: no {@code time_embed}, no temporal parameters; every frame is an
 *       independent ViT sequence {@code (B*T, 1+N, C)}; after the blocks all tokens are averaged over
 *       frames, then {@code norm}.
 *   <li>{@link #JOINT_SPACE_TIME}: plain ViT blocks over the whole clip sequence
 *       {@code (B, 1 + N*T, C)} (with {@code time_embed}, no temporal parameters).
 * </ul>
 */
public enum AttentionType {
  DIVIDED_SPACE_TIME,
  SPACE_ONLY,
  JOINT_SPACE_TIME;

  /** The upstream spelling, e.g. {@code divided_space_time}. */
  public String upstreamName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the model has a {@code time_embed} parameter. */
  public boolean hasTimeEmbed() {
    return this != SPACE_ONLY;
  }

  /** Whether the blocks have {@code temporal_norm1}, {@code temporal_attn} and {@code temporal_fc}. */
  public boolean hasTemporalBranch() {
    return this == DIVIDED_SPACE_TIME;
  }

  /** Parses the upstream spelling; {@code -} is accepted for {@code _}. */
  public static AttentionType parse(String s) {
    String n = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (AttentionType t : values()) {
      if (t.upstreamName().equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown attention_type \"" + s + "\"; known: "
            + Arrays.stream(values()).map(AttentionType::upstreamName).toList());
  }

  /** The upstream names, for messages. */
  public static String[] upstreamNames() {
    return Arrays.stream(values()).map(AttentionType::upstreamName).toArray(String[]::new);
  }
}
