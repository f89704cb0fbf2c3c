package org.bevt4j.core.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonVizTest {
  @TempDir Path tmp;

  @Test
  void tokenMapRowPlacesEachTokenizersCellsInItsPanel() throws Exception {
    float[] rgb = new float[3 * 4 * 4];
    java.util.Arrays.fill(rgb, 0, 16, 1f); // red
    long[] a = {0, 1, 2, 3};
    long[] b = new long[16];
    for (int i = 0; i < 16; i++) {
      b[i] = i;
    }
    List<TokenMapRow.Panel> panels = List.of(new TokenMapRow.Panel("a", a, 2, 2, 4), new TokenMapRow.Panel("b", b, 4, 4, 16));
    Path png = TokenMapRow.write(tmp.resolve("maps/row.png"), rgb, 4, 4, panels, 40);
    BufferedImage img = ImageIO.read(png.toFile());
    int header = img.getHeight() - 40;
    assertThat(img.getWidth()).isEqualTo(3 * 40 + 2 * TokenMapRow.GAP);
    assertThat(img.getRGB(5, header + 5) & 0xFFFFFF).isEqualTo(0xFF0000);
    int x1 = 40 + TokenMapRow.GAP;
    assertThat(img.getRGB(x1 + 5, header + 5) & 0xFFFFFF).isEqualTo(TokenMapImage.colorOf(0).getRGB() & 0xFFFFFF);
    assertThat(img.getRGB(x1 + 35, header + 35) & 0xFFFFFF).isEqualTo(TokenMapImage.colorOf(3).getRGB() & 0xFFFFFF);
    int x2 = 2 * (40 + TokenMapRow.GAP);
    assertThat(img.getRGB(x2 + 35, header + 5) & 0xFFFFFF).isEqualTo(TokenMapImage.colorOf(3).getRGB() & 0xFFFFFF);
    assertThat(img.getRGB(x2 + 35, header + 35) & 0xFFFFFF).isEqualTo(TokenMapImage.colorOf(15).getRGB() & 0xFFFFFF);
    assertThatThrownBy(() -> new TokenMapRow.Panel("bad", new long[] {0, 9}, 1, 2, 4)).hasMessageContaining("token id 9");
    assertThatThrownBy(() -> new TokenMapRow.Panel("bad", new long[] {0}, 1, 2, 4)).hasMessageContaining("(1, 2)");
  }

  @Test
  void comparisonChartIsAReadablePng() throws Exception {
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("dalle", List.of(0.4, 0.8, Double.NaN));
    series.put("peco", List.of(0.6, 0.5, 0.9));
    Path png = tmp.resolve("plots/comparison.png");
    ComparisonChart.write(png, "Tokenizers", List.of("usage", "flip", "shift"), series);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isGreaterThanOrEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(560);
    assertThatThrownBy(() -> ComparisonChart.write(png, "x", List.of("a"), Map.of("s", List.of(0.1, 0.2))))
        .hasMessageContaining("series s has 2 values for 1 measures");
  }
}
