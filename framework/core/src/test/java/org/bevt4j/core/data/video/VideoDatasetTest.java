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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VideoDatasetTest {
  static final int S = 48;
  static final int FRAMES = 30;

  @TempDir Path dir;

  /** Square videos, crop = full frame, no rescale, no flip: the input is exactly the sampled frames. */
  static String block(String type, String extra) {
    return "type = " + type + ", scale-range = [], crop-size = " + S + ", flip = 0, clip-len = 4, frame-interval = 3, "
        + "tokenizer-size = 24, synthetic { width = " + S + ", height = " + S + ", frames = " + FRAMES + ", size = 6, slow-speed = 0.05, fast-speed = 0.15, rotation-speed = 20 }, "
        + extra;
  }

  @ParameterizedTest
  @EnumSource(VideoCodec.class)
  void listAndFolderDatasetsDecodeTheSampledFrames(VideoCodec codec) throws Exception {
    SceneGenerator gen = new SceneGenerator(0, 0.05, 0.15, 20.0);
    int quality = codec == VideoCodec.H264 ? 2000 : codec == VideoCodec.MPEG4 ? 3 : 20;
    SyntheticWriter.Written w = new SyntheticWriter(gen, S, S).writeVideos(dir, 4, FRAMES, codec, 25, 12, quality);
    StreamSettings ss = StreamSettings.parse(TestData.stream("video", block("synthetic", "")), null);
    SyntheticDataset synth = SyntheticDataset.create(ss);
    for (String cfg : new String[] {
        "video-list { file = \"" + w.listFile() + "\" }",
        "video-folder { root = \"" + dir + "\", extensions = [" + codec.extension() + "] }"}) {
      String type = cfg.substring(0, cfg.indexOf(' '));
      try (Dataset ds = DataSources.create(TestData.stream("video", block(type, cfg)), null)) {
        assertThat(ds.size()).isEqualTo(4);
        if (type.equals("video-folder")) {
          assertThat(ds.classes()).startsWith("00-static", "01-right-slow");
        }
        for (int i = 0; i < 4; i++) {
          Sample s = ds.load(i, new SplittableRandom(100 + i));
          assertThat(s.input().shape()).containsExactly(3, 4, S, S);
          assertThat(s.tokenizerInput().shape()).containsExactly(4, 3, 24, 24);
          assertThat(s.label()).isEqualTo(w.labels().get(i));
          int[] idx = new ClipSampler(ss.clip()).train(FRAMES, new SplittableRandom(100 + i));
          RgbFrame[] expected = synth.render(i, idx);
          for (int t = 0; t < 4; t++) {
            double mae = TestData.mae(s.input().data(), 0, t, 4, expected[t], ss.augment().mean(), ss.augment().std());
            // sharp synthetic edges + 4:2:0 chroma at 48x48 give a few units of codec error
            assertThat(mae).as("%s %s sample %d frame %d", codec, type, i, idx[t]).isLessThan(12.0);
            if (i > 0) { // moving classes: the decoded frame is closer to its own index than to the others
              for (int u = 0; u < 4; u++) {
                if (u != t) {
                  double other = TestData.mae(s.input().data(), 0, t, 4, expected[u], ss.augment().mean(), ss.augment().std());
                  assertThat(other).as("%s sample %d frame %d vs %d", codec, i, idx[t], idx[u]).isGreaterThan(mae + 2);
                }
              }
            }
          }
        }
      }
    }
  }
}
