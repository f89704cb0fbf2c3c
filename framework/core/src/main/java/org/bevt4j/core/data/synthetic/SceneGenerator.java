package org.bevt4j.core.data.synthetic;

import java.util.SplittableRandom;
import org.bevt4j.core.data.transform.RgbFrame;

/**
 * Deterministic procedural content: {@link #videoScene} / {@link #imageScene} derive a {@link Scene}
 * from (seed, index) alone, and {@link #render} draws any frame of it at any size. Rendering is a
 * cheap per-pixel pass (no trigonometry per pixel; the background is drawn once per sample and
 * copied for each frame).
 */
public final class SceneGenerator {
  private final long seed;
  private final float slowSpeed;
  private final float fastSpeed;
  private final float rotationSpeed;

  /**
   * @param slowSpeed translation speed of the slow classes (short sides per frame; fast ones use
   *     {@code fastSpeed}), each drawn within +-25 %
   * @param rotationSpeed rotation speed in degrees per frame (+-25 %)
   */
  public SceneGenerator(long seed, double slowSpeed, double fastSpeed, double rotationSpeed) {
    if (!(slowSpeed > 0 && fastSpeed > slowSpeed * 1.5 && rotationSpeed > 0)) {
      throw new IllegalArgumentException("need 0 < slow-speed, fast-speed > 1.5 x slow-speed, rotation-speed > 0");
    }
    this.seed = seed;
    this.slowSpeed = (float) slowSpeed;
    this.fastSpeed = (float) fastSpeed;
    this.rotationSpeed = (float) rotationSpeed;
  }

  /** Default speeds: 0.006 and 0.02 short sides per frame, 3 degrees per frame. */
  public SceneGenerator(long seed) {
    this(seed, 0.006, 0.02, 3.0);
  }

  private SplittableRandom rng(long index, long salt) {
    return new SplittableRandom(mix(mix(seed, salt), index));
  }

  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The scene of clip {@code index} whose object performs {@code motion}. */
  public Scene videoScene(long index, Motion motion) {
    SplittableRandom r = rng(index, 0x51DE0L);
    Scene base = common(r, Shape.values()[r.nextInt(Shape.values().length)]);
    float speed = (motion.fast() ? fastSpeed : slowSpeed) * (float) (0.75 + 0.5 * r.nextDouble());
    float omega = motion.spin() * (float) Math.toRadians(rotationSpeed * (0.75 + 0.5 * r.nextDouble()));
    return new Scene(base.bgA(), base.bgB(), base.bgChecker(), base.bgFreq(), base.bgAngle(),
        base.shape(), base.fgA(), base.fgB(), base.radius(), base.x0(), base.y0(),
        motion.dx() * speed, motion.dy() * speed, base.angle0(), omega);
  }

  /** The (static) scene of image {@code index} showing {@code shape}. */
  public Scene imageScene(long index, Shape shape) {
    return common(rng(index, 0x1A6EL), shape);
  }

  private static Scene common(SplittableRandom r, Shape shape) {
    int bgA = colour(r, 40, 200);
    int bgB = shift(bgA, r, 40);
    int fgA = colour(r, 0, 255);
    int fgB = contrast(fgA);
    return new Scene(bgA, bgB, r.nextBoolean(), 3f + 5f * (float) r.nextDouble(), (float) (Math.PI * r.nextDouble()),
        shape, fgA, fgB, 0.18f + 0.12f * (float) r.nextDouble(),
        (float) r.nextDouble(), (float) r.nextDouble(), 0, 0, (float) (2 * Math.PI * r.nextDouble()), 0);
  }

  private static int colour(SplittableRandom r, int lo, int hi) {
    return (lo + r.nextInt(hi - lo + 1)) << 16 | (lo + r.nextInt(hi - lo + 1)) << 8 | (lo + r.nextInt(hi - lo + 1));
  }

  private static int shift(int c, SplittableRandom r, int amount) {
    int out = 0;
    for (int s = 16; s >= 0; s -= 8) {
      int v = (c >> s) & 0xFF;
      v = Math.max(0, Math.min(255, v + (r.nextBoolean() ? amount : -amount)));
      out |= v << s;
    }
    return out;
  }

  private static int contrast(int c) {
    return (~c) & 0xFFFFFF;
  }

  /** Draws the background of {@code s} at the given size. */
  public static RgbFrame background(Scene s, int width, int height) {
    byte[] d = new byte[3 * width * height];
    float unit = Math.min(width, height);
    float f = s.bgFreq() / unit;
    float cx = (float) Math.cos(s.bgAngle()) * f;
    float cy = (float) Math.sin(s.bgAngle()) * f;
    byte ar = (byte) (s.bgA() >> 16);
    byte ag = (byte) (s.bgA() >> 8);
    byte ab = (byte) s.bgA();
    byte br = (byte) (s.bgB() >> 16);
    byte bg = (byte) (s.bgB() >> 8);
    byte bb = (byte) s.bgB();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean a;
        if (s.bgChecker()) {
          a = (((int) Math.floor(x * f) + (int) Math.floor(y * f)) & 1) == 0;
        } else {
          float t = x * cx + y * cy;
          a = t - (float) Math.floor(t) < 0.5f;
        }
        int o = 3 * (y * width + x);
        d[o] = a ? ar : br;
        d[o + 1] = a ? ag : bg;
        d[o + 2] = a ? ab : bb;
      }
    }
    return new RgbFrame(d, width, height);
  }

  /** Frame {@code t} of the scene, drawn over a copy of {@code background}. */
  public static RgbFrame render(Scene s, RgbFrame background, int t) {
    int w = background.width();
    int h = background.height();
    byte[] d = background.data().clone();
    float unit = Math.min(w, h);
    float rad = s.radius() * unit;
    float cx = s.x0() * w + s.vx() * unit * t;
    float cy = s.y0() * h + s.vy() * unit * t;
    cx = (float) (cx - Math.floor(cx / w) * w);
    cy = (float) (cy - Math.floor(cy / h) * h);
    float angle = s.angle0() + s.omega() * t;
    float cos = (float) Math.cos(angle);
    float sin = (float) Math.sin(angle);
    // draw the wrapped copies that touch the frame (toroidal motion keeps the object visible)
    for (int ox = -1; ox <= 1; ox++) {
      for (int oy = -1; oy <= 1; oy++) {
        drawObject(s, d, w, h, cx + ox * w, cy + oy * h, rad, cos, sin);
      }
    }
    return new RgbFrame(d, w, h);
  }

  private static void drawObject(Scene s, byte[] d, int w, int h, float cx, float cy, float rad, float cos, float sin) {
    int x0 = Math.max(0, (int) Math.floor(cx - rad));
    int x1 = Math.min(w - 1, (int) Math.ceil(cx + rad));
    int y0 = Math.max(0, (int) Math.floor(cy - rad));
    int y1 = Math.min(h - 1, (int) Math.ceil(cy + rad));
    if (x0 > x1 || y0 > y1) {
      return;
    }
    float inv = 1f / rad;
    byte ar = (byte) (s.fgA() >> 16);
    byte ag = (byte) (s.fgA() >> 8);
    byte ab = (byte) s.fgA();
    byte br = (byte) (s.fgB() >> 16);
    byte bg = (byte) (s.fgB() >> 8);
    byte bb = (byte) s.fgB();
    Shape shape = s.shape();
    for (int y = y0; y <= y1; y++) {
      float dy = (y + 0.5f - cy) * inv;
      for (int x = x0; x <= x1; x++) {
        float dx = (x + 0.5f - cx) * inv;
        // rotate into the object's frame (angle grows clockwise on screen: y points down)
        float u = dx * cos + dy * sin;
        float v = -dx * sin + dy * cos;
        if (!shape.contains(u, v)) {
          continue;
        }
        // two stripes across the object plus a marker near one end make any rotation visible
        boolean a = ((int) Math.floor((u + 1f) * 2.5f) & 1) == 0 || (v < -0.5f && u > 0);
        int o = 3 * (y * w + x);
        d[o] = a ? ar : br;
        d[o + 1] = a ? ag : bg;
        d[o + 2] = a ? ab : bb;
      }
    }
  }
}
