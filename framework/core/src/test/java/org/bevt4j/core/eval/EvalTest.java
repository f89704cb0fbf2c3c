package org.bevt4j.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalTest {
  @Test
  void metricsMatchHandComputedValues() {
    ClassificationMetrics m = new ClassificationMetrics(6);
    // sample 1: label 0, best 0 -> top1 hit
    m.add(new float[] {5, 1, 0, 0, 0, 0}, 0);
    // sample 2: label 1, ranking 2,3,4,5,1,0 -> top1 miss, top5 hit (rank 5)
    m.add(new float[] {0, 1, 6, 5, 4, 3}, 1);
    // sample 3: label 0, ranking 5,4,3,2,1,0 -> label at rank 6: top5 miss
    m.add(new float[] {0, 1, 2, 3, 4, 5}, 0);
    // sample 4: label 2, ties: scores equal -> lowest index (0) wins top1
    m.add(new float[] {1, 1, 1, 1, 1, 1}, 2);
    assertThat(m.top1()).isCloseTo(0.25, within(1e-12));
    assertThat(m.top5()).isCloseTo(0.75, within(1e-12));
    long[][] c = m.confusion();
    assertThat(c[0][0]).isEqualTo(1);
    assertThat(c[0][5]).isEqualTo(1);
    assertThat(c[1][2]).isEqualTo(1);
    assertThat(c[2][0]).isEqualTo(1);
    double[] per = m.perClassAccuracy();
    assertThat(per[0]).isCloseTo(0.5, within(1e-12));
    assertThat(per[1]).isZero();
    assertThat(per[2]).isZero();
    assertThat(per[3]).isNaN();
    assertThat(m.meanClassAccuracy()).isCloseTo(0.5 / 3, within(1e-12));
  }

  @Test
  void confusionMatrixPngIsReadable(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plots/confusion.png");
    ConfusionMatrixImage.write(png, new long[][] {{5, 1, 0}, {2, 7, 1}, {0, 0, 9}}, List.of("left", "right", "static"), "probe top-1 84.0%");
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isGreaterThan(200);
    assertThat(img.getHeight()).isGreaterThan(200);
  }

  @Test
  void probeLearnsSeparableClassesAndIsDeterministic(@TempDir Path dir) {
    FeatureSet train = blobs(300, 1);
    FeatureSet test = blobs(150, 2);
    LinearProbe p = new LinearProbe(new ProbeSettings(30, 64, 5e-2, 1e-4, 0));
    double loss = p.fit(train, 3);
    ClassificationMetrics m = p.evaluate(test);
    assertThat(m.top1()).isGreaterThan(0.95);
    assertThat(loss).isLessThan(0.3);
    LinearProbe q = new LinearProbe(new ProbeSettings(30, 64, 5e-2, 1e-4, 0));
    q.fit(train, 3);
    assertThat(q.scores(test.features()[0])).containsExactly(p.scores(test.features()[0]));
    // cache round trip
    Path f = dir.resolve("f.safetensors");
    train.save(f, java.util.Map.of());
    FeatureSet back = FeatureSet.load(f);
    assertThat(back.labels()).containsExactly(train.labels());
    assertThat(back.features()[7]).containsExactly(train.features()[7]);
  }

  @Test
  void probeOnNoiseStaysNearChance() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] x = new float[400][8];
    int[] y = new int[400];
    for (int i = 0; i < 400; i++) {
      for (int d = 0; d < 8; d++) {
        x[i][d] = (float) r.nextGaussian();
      }
      y[i] = r.nextInt(4);
    }
    FeatureSet all = new FeatureSet(x, y);
    FeatureSet train = new FeatureSet(java.util.Arrays.copyOf(x, 200), java.util.Arrays.copyOf(y, 200));
    FeatureSet test = new FeatureSet(java.util.Arrays.copyOfRange(x, 200, 400), java.util.Arrays.copyOfRange(y, 200, 400));
    LinearProbe p = new LinearProbe(new ProbeSettings(20, 50, 1e-2, 1e-4, 0));
    p.fit(train, all.numClasses());
    assertThat(p.evaluate(test).top1()).isBetween(0.1, 0.45);
  }

  private static FeatureSet blobs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[n][5];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int d = 0; d < 5; d++) {
        x[i][d] = (float) (r.nextGaussian() * 0.5 + (d == y[i] ? 3 : 0));
      }
    }
    return new FeatureSet(x, y);
  }
}
