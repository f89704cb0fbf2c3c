package org.bevt4j.core.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bevt4j.api.BevtConfigException;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Sample;
import org.bevt4j.core.data.DataSources;
import org.bevt4j.core.data.StreamSettings;
import org.bevt4j.core.data.TestData;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticDataset;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.bevt4j.core.data.transform.RgbFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetTest {
  static final int S = 96; // small JPEGs of sharp synthetic edges lose more to 4:2:0 chroma

  @TempDir Path dir;

  static String block(String extra) {
    return "scale-range = [], crop-size = " + S + ", flip = 0, color-jitter { brightness = 0, contrast = 0, saturation = 0 }, "
        + "tokenizer-size = 48, synthetic { width = " + S + ", height = " + S + ", size = 8 }, " + extra;
  }

  @Test
  void folderAndListDatasetsDecodeJpegs() throws Exception {
    SyntheticWriter.Written w = new SyntheticWriter(new SceneGenerator(0), S, S).writeImages(dir, 8, 0.95f);
    StreamSettings ss = StreamSettings.parse(TestData.stream("image", block("type = synthetic")), null);
    SyntheticDataset synth = SyntheticDataset.create(ss);
    for (String cfg : new String[] {
        "type = image-list, image-list.file = \"" + w.listFile() + "\"",
        "type = image-folder, image-folder.root = \"" + dir + "\""}) {
      try (Dataset ds = DataSources.create(TestData.stream("image", block(cfg)), null)) {
        assertThat(ds.size()).isEqualTo(8);
        assertThat(ds.classes()).hasSize(4);
        for (int i = 0; i < 8; i++) {
          Sample s = ds.load(i, new SplittableRandom(i));
          assertThat(s.input().shape()).containsExactly(3, S, S);
          assertThat(s.tokenizerInput().shape()).containsExactly(1, 3, 48, 48);
          // folder order is class-major; map back through the written file list
          int written = w.files().indexOf(Path.of(s.source()));
          assertThat(written).isNotNegative();
          assertThat(s.label()).isEqualTo(w.labels().get(written));
          RgbFrame expected = synth.render(written, new int[] {0})[0];
          double mae = TestData.mae(s.input().data(), 0, 0, 1, expected, ss.augment().mean(), ss.augment().std());
          assertThat(mae).as("image %d", written).isLessThan(6.0);
        }
      }
    }
  }

  @Test
  void pngDecodesExactlyAndJpegCloselyThroughFfmpeg() throws Exception {
    RgbFrame f = SyntheticDataset.create(StreamSettings.parse(TestData.stream("image", block("type = synthetic")), null))
        .render(2, new int[] {0})[0];
    Path png = dir.resolve("a.png");
    ImageFiles.writePng(f, png);
    RgbFrame back = ImageDecoder.decode(png);
    assertThat(back.data()).isEqualTo(f.data());
    Path jpg = dir.resolve("a.jpg");
    ImageFiles.writeJpeg(f, jpg, 0.98f);
    RgbFrame j = ImageDecoder.decode(jpg);
    long sum = 0;
    for (int i = 0; i < f.data().length; i++) {
      sum += Math.abs((f.data()[i] & 0xFF) - (j.data()[i] & 0xFF));
    }
    assertThat(sum / (double) f.data().length).isLessThan(5.0);
  }

  @Test
  void corruptImagesAreIoExceptionsNamingTheFile() throws Exception {
    Path bad = dir.resolve("bad.jpg");
    Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5, 6, 7});
    assertThatThrownBy(() -> ImageDecoder.decode(bad)).isInstanceOf(java.io.IOException.class).hasMessageContaining("bad.jpg");
    Path txt = dir.resolve("x.gif");
    Files.writeString(txt, "hello");
    assertThatThrownBy(() -> ImageDecoder.decode(txt)).isInstanceOf(java.io.IOException.class).hasMessageContaining("x.gif");
    assertThatThrownBy(() -> ImageDecoder.decode(dir.resolve("none.png"))).hasMessageContaining("none.png");
  }

  @Test
  void imageTypesRejectTheVideoStreamAndUnknownTypesSuggest() {
    assertThatThrownBy(() -> DataSources.create(TestData.stream("video", "type = image-folder, image-folder.root = \"" + dir + "\""), null))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("bevt.data.video.type");
    assertThatThrownBy(() -> DataSources.create(TestData.stream("image", "type = image-fold"), null))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("did you mean \"image-folder\"");
    assertThatThrownBy(() -> DataSources.create(TestData.stream("image", "type = image-list"), null))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("bevt.data.image.image-list.file");
    assertThatThrownBy(() -> StreamSettings.parse(TestData.stream("image", "flip = 2"), null))
        .isInstanceOf(BevtConfigException.class).hasMessageContaining("bevt.data.image.flip");
  }
}
