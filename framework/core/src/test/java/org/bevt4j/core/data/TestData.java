package org.bevt4j.core.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.bevt4j.api.HostTensor;
import org.bevt4j.core.data.transform.RgbFrame;

/** Test helpers: the core reference {@code bevt.data} block with HOCON overrides. */
public final class TestData {
  private TestData() {}

  /** {@code bevt.data} from core's reference.conf with {@code overrides} (HOCON under bevt.data). */
  public static Config data(String overrides) {
    Config ref = ConfigFactory.parseResources(TestData.class.getClassLoader(), "reference.conf");
    Config over = ConfigFactory.parseString("bevt.data {" + overrides + "}");
    return over.withFallback(ref).resolve().getConfig("bevt.data");
  }

  /** One stream block with overrides. */
  public static Config stream(String stream, String overrides) {
    return data(stream + " {" + overrides + "}").getConfig(stream);
  }

  /** Mean absolute difference (0..255) between frame {@code t} of an un-normalised (3,T,H,W) block and a frame. */
  public static double mae(float[] planes, int off, int t, int frames, RgbFrame f, float[] mean, float[] std) {
    int hw = f.width() * f.height();
    double s = 0;
    for (int c = 0; c < 3; c++) {
      int o = off + (c * frames + t) * hw;
      for (int i = 0; i < hw; i++) {
        float v = planes[o + i] * std[c] + mean[c];
        s += Math.abs(v - (f.data()[3 * i + c] & 0xFF));
      }
    }
    return s / (3.0 * hw);
  }

  /** True when two tensors are bit-identical. */
  public static boolean same(HostTensor a, HostTensor b) {
    return a == null ? b == null : a.equals(b);
  }
}
