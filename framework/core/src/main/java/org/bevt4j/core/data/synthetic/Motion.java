package org.bevt4j.core.data.synthetic;

import java.util.List;

/**
 * Labels of synthetic clips: what the foreground object does over time. A single frame cannot tell
 * them apart, so the classes reward temporal modelling: direction, speed and rotation sense.
 */
public enum Motion {
  STATIC("static", 0, 0, 0),
  RIGHT_SLOW("right-slow", 1, 0, 0),
  LEFT_SLOW("left-slow", -1, 0, 0),
  DOWN_SLOW("down-slow", 0, 1, 0),
  UP_SLOW("up-slow", 0, -1, 0),
  RIGHT_FAST("right-fast", 1, 0, 0),
  LEFT_FAST("left-fast", -1, 0, 0),
  DOWN_FAST("down-fast", 0, 1, 0),
  UP_FAST("up-fast", 0, -1, 0),
  ROTATE_CW("rotate-cw", 0, 0, 1),
  ROTATE_CCW("rotate-ccw", 0, 0, -1);

  private final String label;
  private final int dx;
  private final int dy;
  private final int spin;

  Motion(String label, int dx, int dy, int spin) {
    this.label = label;
    this.dx = dx;
    this.dy = dy;
    this.spin = spin;
  }

  /** Class name. */
  public String label() {
    return label;
  }

  /** Horizontal direction (-1, 0, 1; +1 = right). */
  public int dx() {
    return dx;
  }

  /** Vertical direction (+1 = down). */
  public int dy() {
    return dy;
  }

  /** Rotation sense (+1 = clockwise on screen). */
  public int spin() {
    return spin;
  }

  public boolean fast() {
    return name().endsWith("FAST");
  }

  /** The class a horizontally mirrored clip belongs to (left/right and cw/ccw swap). */
  public Motion mirrored() {
    return switch (this) {
      case RIGHT_SLOW -> LEFT_SLOW;
      case LEFT_SLOW -> RIGHT_SLOW;
      case RIGHT_FAST -> LEFT_FAST;
      case LEFT_FAST -> RIGHT_FAST;
      case ROTATE_CW -> ROTATE_CCW;
      case ROTATE_CCW -> ROTATE_CW;
      default -> this;
    };
  }

  /** Class names in label order. */
  public static List<String> names() {
    return java.util.Arrays.stream(values()).map(Motion::label).toList();
  }
}
