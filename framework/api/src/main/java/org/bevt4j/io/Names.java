package org.bevt4j.io;

import java.util.Collection;

/** Name suggestions for error messages ("did you mean ..."), by Levenshtein distance. */
public final class Names {
  private Names() {}

  /** The closest candidate within a distance proportional to the name length, or null. */
  public static String closest(String name, Collection<String> candidates) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name, c);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    int limit = Math.max(2, name.length() / 3);
    return bestD <= limit ? best : null;
  }

  /** {@code "; did you mean \"x\"?"} or an empty string. */
  public static String didYouMean(String name, Collection<String> candidates) {
    String c = closest(name, candidates);
    return c == null ? "" : "; did you mean \"" + c + "\"?";
  }

  /** Levenshtein edit distance. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
