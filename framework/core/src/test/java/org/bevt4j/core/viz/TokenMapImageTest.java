package org.bevt4j.core.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMapImageTest {
  @Test
  void writesAReadablePngWithInputAndTokenMapSideBySide(@TempDir Path dir) throws Exception {
    int h = 16;
    int w = 24;
    float[] rgb = new float[3 * h * w];
    for (int i = 0; i < h * w; i++) {
      rgb[i] = 1f; // red channel full, others 0 -> pure red input
    }
    long[] ids = {0, 1, 2, 3, 4, 5}; // grid 2x3, cells of 8x8 input pixels
    TokenMapImage t = TokenMapImage.render(rgb, h, w, ids, 2, 3, 8, 2);
    Path png = t.write(dir.resolve("sub/tokens.png"));

    BufferedImage back = ImageIO.read(png.toFile());
    assertThat(back).isNotNull();
    assertThat(back.getWidth()).isEqualTo(2 * w * 2 + TokenMapImage.GAP);
    assertThat(back.getHeight()).isEqualTo(h * 2);
    assertThat(back.getRGB(5, 5) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(back.getRGB(w * 2 + 1, 3) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    int right = w * 2 + TokenMapImage.GAP;
    // token (row 1, col 2) covers input pixels y 8..15, x 16..23 -> output y 16..31, x right+32..
    assertThat(back.getRGB(right + 40, 20) & 0xFFFFFF).isEqualTo(TokenMapImage.colorOf(5).getRGB() & 0xFFFFFF);
    assertThat(back.getRGB(right + 1, 1) & 0xFFFFFF).isEqualTo(TokenMapImage.colorOf(0).getRGB() & 0xFFFFFF);
  }

  @Test
  void squareOverloadEnlargesSmallInputsAndColoursDiffer() {
    float[] rgb = new float[3 * 32 * 32];
    long[] ids = new long[16];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i * 7L;
    }
    TokenMapImage t = TokenMapImage.render(rgb, ids, 8192);
    assertThat(t.scale()).isEqualTo(7);
    assertThat(t.image().getHeight()).isEqualTo(32 * 7);
    Set<Integer> colours = new HashSet<>();
    for (long id = 0; id < 64; id++) {
      colours.add(TokenMapImage.colorOf(id).getRGB());
    }
    assertThat(colours).hasSize(64);
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> TokenMapImage.render(new float[10], 2, 2, new long[] {0}, 1, 1, 4))
        .hasMessageContaining("(3, 2, 2) = 12 values, found 10");
    assertThatThrownBy(() -> TokenMapImage.render(new float[12], 2, 2, new long[] {4}, 1, 1, 4))
        .hasMessageContaining("token id 4")
        .hasMessageContaining("[0, 4)");
    assertThatThrownBy(() -> TokenMapImage.render(new float[12], 2, 2, new long[] {0, 1}, 1, 1, 4))
        .hasMessageContaining("ids must be (1, 1)");
    assertThatThrownBy(() -> TokenMapImage.render(new float[3 * 6], new long[] {0}, 4))
        .hasMessageContaining("not square");
  }
}
