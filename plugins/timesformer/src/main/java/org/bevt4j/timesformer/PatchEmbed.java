package org.bevt4j.timesformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.bevt4j.nn.Autocast;
import org.bevt4j.nn.Conv;
import org.bevt4j.nn.Module;

/**
 * TimeSformer {@code PatchEmbed}: key {@code proj.weight} / {@code proj.bias}. With tubelet 1 (the
 * upstream model) {@code proj} is a Conv2d applied to every frame ({@code 'b c t h w -> (b t) c h
 * w'}); with tubelet k > 1 it is a Conv3d with kernel = stride = (k, p, p).
 *
 * <p>Outputs are token sequences {@code (B*T', N, C)} in upstream {@code (b t) n} order, with
 * {@code N = h*w} row-major.
 */
public final class PatchEmbed extends Module {
  private final Conv proj;
  private final int patch;
  private final int tubelet;
  private final int inChans;
  private final long dim;

  /** Embedded tokens {@code (B*t, h*w, C)} with their grid. */
  public record Tokens(NDArray x, int batch, int t, int h, int w) {}

  public PatchEmbed(int inChans, int dim, int patch, int tubelet) {
    this.patch = patch;
    this.tubelet = tubelet;
    this.inChans = inChans;
    this.dim = dim;
    this.proj =
        child(
            "proj",
            tubelet == 1
                ? Conv.builder(inChans, dim, patch, patch).optStride(patch, patch).build()
                : Conv.builder(inChans, dim, tubelet, patch, patch).optStride(tubelet, patch, patch).build());
  }

  /** Patchifies a clip {@code (B, C, T, H, W)}. */
  public Tokens video(NDArray video) {
    Shape s = video.getShape();
    if (s.dimension() != 5 || s.get(1) != inChans) {
      throw new IllegalArgumentException("video input must be (B, " + inChans + ", T, H, W), got " + s);
    }
    int b = (int) s.get(0);
    int frames = (int) s.get(2);
    checkSpatial(s.get(3), s.get(4));
    NDArray y;
    int t;
    if (tubelet == 1) {
      NDArray perFrame = video.transpose(0, 2, 1, 3, 4).reshape(b * (long) frames, inChans, s.get(3), s.get(4));
      y = proj.forward(perFrame); // (B*T, C, h, w)
      t = frames;
    } else {
      if (frames % tubelet != 0) {
        throw new IllegalArgumentException(
            "clip length " + frames + " is not a multiple of the tubelet size " + tubelet);
      }
      y = proj.forward(video); // (B, C, T/k, h, w)
      t = frames / tubelet;
      y = y.transpose(0, 2, 1, 3, 4).reshape(b * (long) t, dim, y.getShape().get(3), y.getShape().get(4));
    }
    return flatten(y, b, t);
  }

  /**
   * Patchifies images {@code (B, C, H, W)}. With tubelets, the image acts as a static clip of k
   * identical frames, i.e. a Conv2d with the Conv3d kernel summed over time.
   */
  public Tokens image(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4 || s.get(1) != inChans) {
      throw new IllegalArgumentException("image input must be (B, " + inChans + ", H, W), got " + s);
    }
    checkSpatial(s.get(2), s.get(3));
    NDArray y;
    if (tubelet == 1) {
      y = proj.forward(images);
    } else {
      NDArray w2 = proj.weight().array().sum(new int[] {2});
      y = Autocast.conv(images, w2, proj.bias().array(), new Shape(patch, patch), new Shape(0, 0), new Shape(1, 1), 1);
    }
    return flatten(y, (int) s.get(0), 1);
  }

  private void checkSpatial(long h, long w) {
    if (h < patch || w < patch) {
      throw new IllegalArgumentException(
          "input " + h + "x" + w + " is smaller than the patch size " + patch);
    }
  }

  private Tokens flatten(NDArray y, int b, int t) {
    Shape ys = y.getShape(); // (B*t, C, h, w)
    int h = (int) ys.get(2);
    int w = (int) ys.get(3);
    NDArray x = y.reshape(ys.get(0), dim, (long) h * w).transpose(0, 2, 1);
    return new Tokens(x, b, t, h, w);
  }

  public Conv proj() {
    return proj;
  }

  public int tubelet() {
    return tubelet;
  }
}
