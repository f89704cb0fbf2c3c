package org.bevt4j.core.bench;

/**
 * Forward FLOPs of the DALL-E dVAE encoder (BEVT's frozen tokenizer; conventions: {@link
 * FlopCount}): a 7×7 input conv {@code 3→h}, 4 groups of {@code blocksPerGroup} residual blocks of
 * widths {@code h·{1,2,4,8}} (res path 3×3 {@code in→out/4}, 3×3, 3×3, 1×1 {@code →out}; a 1×1
 * id-path conv when the width changes), 2×2 max-pool after groups 1–3, and a 1×1 output conv
 * {@code 8h→vocab}. All convs are stride 1 with "same" padding. It runs without gradients, so a
 * training step pays it once (not 3×).
 */
public final class DalleEncoderFlops {
  private DalleEncoderFlops() {}

  /**
   * FLOPs for {@code images} inputs of {@code size×size} (BEVT: 112, hidden 256, 2 blocks per group,
   * vocab 8192; 16 frames per clip are tokenized separately).
   */
  public static FlopCount forward(long images, int size, int hidden, int blocksPerGroup, int vocab) {
    if (images <= 0 || size <= 0 || hidden <= 0 || blocksPerGroup <= 0 || vocab <= 0) {
      throw new IllegalArgumentException(
          "images, size, hidden, blocksPerGroup and vocab must be > 0: " + images + ", " + size
              + ", " + hidden + ", " + blocksPerGroup + ", " + vocab);
    }
    FlopCount f = new FlopCount();
    long s = size;
    f.add("input", conv(images, 3, hidden, s, 7));
    long in = hidden;
    for (int g = 1; g <= 4; g++) {
      long out = (long) hidden << (g - 1);
      long mid = out / 4;
      for (int b = 1; b <= blocksPerGroup; b++) {
        String name = "group_" + g + ".block_" + b + ".";
        if (in != out) {
          f.add(name + "id_path", conv(images, in, out, s, 1));
        }
        f.add(name + "res_path", conv(images, in, mid, s, 3) + conv(images, mid, mid, s, 3)
            + conv(images, mid, mid, s, 3) + conv(images, mid, out, s, 1));
        in = out;
      }
      if (g < 4) {
        s /= 2;
      }
    }
    f.add("output", conv(images, in, vocab, s, 1));
    return f;
  }

  private static long conv(long n, long cin, long cout, long size, long k) {
    return FlopCount.conv(n, cin, cout, new long[] {size, size}, new long[] {k, k}, 1);
  }
}
