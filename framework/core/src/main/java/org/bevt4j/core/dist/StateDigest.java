package org.bevt4j.core.dist;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.bevt4j.io.TensorData;

/**
 * A SHA-256 of a tensor state (names, dtypes, shapes and bytes, in name order): equal digests mean
 * bitwise-equal states. Data-parallel ranks compare it to prove that their replicas are identical.
 */
public final class StateDigest {
  private StateDigest() {}

  /** The lower-case hex digest of {@code state} (independent of the map's iteration order). */
  public static String of(Map<String, TensorData> state) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Map.Entry<String, TensorData> e : new TreeMap<>(state).entrySet()) {
      TensorData t = e.getValue();
      StringBuilder head = new StringBuilder(e.getKey()).append('\t').append(t.dtype().name());
      for (long d : t.shape()) {
        head.append('\t').append(d);
      }
      md.update(head.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      md.update(t.bytes().duplicate());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
