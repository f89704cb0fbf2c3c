package org.bevt4j.core.data.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.core.data.DataSources;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.TestData;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticDataset;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.bevt4j.core.data.transform.ClipSampler;
import org.bevt4j.core.data.transform.RgbFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawFramesDatasetTest {
  @TempDir Path dir;

  @Test
  void readsTheSampledFrameFiles() throws Exception {
    int s = 96;
    SyntheticWriter.Written w = new SyntheticWriter(new SceneGenerator(0, 0.05, 0.15, 20), s, s).writeRawFrames(dir, 3, 10, 0.95f);
    String common = "scale-range = [], crop-size = 96, flip = 0, clip-len = 3, frame-interval = 4, tokenizer-copy = false, "
        + "synthetic { width = 96, height = 96, frames = 10, slow-speed = 0.05, fast-speed = 0.15, rotation-speed = 20 }, ";
    StreamSettings ss = StreamSettings.parse(TestData.stream("video", common + "type = synthetic"), null);
    SyntheticDataset synth = SyntheticDataset.create(ss);
    try (Dataset ds = DataSources.create(TestData.stream("video", common + "type = raw-frames, raw-frames.file = \"" + w.listFile() + "\""), null)) {
      assertThat(ds.size()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        Sample smp = ds.load(i, new SplittableRandom(9));
        assertThat(smp.input().shape()).containsExactly(3, 3, 96, 96);
        assertThat(smp.tokenizerInput()).isNull();
        assertThat(smp.label()).isEqualTo(i);
        int[] idx = new ClipSampler(ss.clip()).train(10, new SplittableRandom(9));
        RgbFrame[] exp = synth.render(i, idx);
        for (int t = 0; t < 3; t++) {
          assertThat(TestData.mae(smp.input().data(), 0, t, 3, exp[t], ss.augment().mean(), ss.augment().std())).isLessThan(7);
        }
      }
    }
  }
}
