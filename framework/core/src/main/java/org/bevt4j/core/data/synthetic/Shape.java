package org.bevt4j.core.data.synthetic;

import java.util.List;

/** Foreground shapes; the labels of synthetic images (static content). */
public enum Shape {
  DISC("disc"),
  SQUARE("square"),
  TRIANGLE("triangle"),
  CROSS("cross");

  private final String label;

  Shape(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Whether the point (u, v), in units of the shape's radius and in its own frame, is inside. */
  boolean contains(float u, float v) {
    return switch (this) {
      case DISC -> u * u + v * v <= 1f;
      case SQUARE -> Math.abs(u) <= 0.72f && Math.abs(v) <= 0.72f;
      case TRIANGLE -> v <= 0.55f && v >= -0.95f + 1.7647f * Math.abs(u);
      case CROSS -> (Math.abs(u) <= 0.28f && Math.abs(v) <= 0.95f) || (Math.abs(v) <= 0.28f && Math.abs(u) <= 0.95f);
    };
  }

  /** Class names in label order. */
  public static List<String> names() {
    return java.util.Arrays.stream(values()).map(Shape::label).toList();
  }
}
