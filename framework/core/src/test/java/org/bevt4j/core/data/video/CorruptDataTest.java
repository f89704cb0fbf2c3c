package org.bevt4j.core.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.data.DataFormatException;
import org.bevt4j.core.data.DataSources;
import org.bevt4j.core.data.ListFiles;
import org.bevt4j.core.data.TestData;
import org.bevt4j.core.data.loader.DataLoadException;
import org.bevt4j.core.data.loader.DataLoader;
import org.bevt4j.core.data.loader.HostBatch;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.bevt4j.core.data.loader.OnError;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptDataTest {
  @TempDir Path dir;
  Path list;
  Path truncated;
  Path garbage;
  Path missing;

  @BeforeEach
  void setUp() throws IOException {
    SyntheticWriter.Written w = new SyntheticWriter(new SceneGenerator(1), 32, 32)
        .writeVideos(dir.resolve("ok"), 5, 12, VideoCodec.H264, 25, 6, 1000);
    truncated = dir.resolve("truncated.mp4");
    byte[] full = Files.readAllBytes(w.files().get(0));
    Files.write(truncated, java.util.Arrays.copyOf(full, full.length * 6 / 10));
    garbage = dir.resolve("garbage.mp4");
    byte[] junk = new byte[20_000];
    new Random(5).nextBytes(junk);
    Files.write(garbage, junk);
    missing = dir.resolve("missing.webm");
    StringBuilder sb = new StringBuilder();
    for (Path p : w.files()) {
      sb.append(dir.relativize(p)).append(" 1\n");
    }
    sb.append("truncated.mp4 2\ngarbage.mp4 3\nmissing.webm 4\n");
    list = dir.resolve("list.txt");
    Files.writeString(list, sb.toString());
  }

  Dataset dataset() {
    return DataSources.create(TestData.stream("video",
        "type = video-list, video-list.file = \"" + list + "\", scale-range = [], crop-size = 32, clip-len = 2, "
            + "frame-interval = 2, tokenizer-copy = false"), null);
  }

  @Test
  void readerReportsEachBadFileAsIoException() {
    for (Path p : List.of(truncated, garbage, missing)) {
      assertThatThrownBy(() -> VideoReader.open(p).close())
          .isInstanceOf(IOException.class).hasMessageContaining(p.toString());
    }
  }

  @Test
  void skipPolicyReplacesAndCountsBadFiles() {
    LoaderSettings ls = LoaderSettings.defaults().withWorkers(2).withPrefetch(2).withShuffle(true, false);
    Set<String> sources = new HashSet<>();
    try (Dataset ds = dataset(); DataLoader loader = new DataLoader(ds, ls, 2, 7)) {
      for (int i = 0; i < 3 * loader.batchesPerEpoch(); i++) {
        HostBatch b = loader.next();
        sources.addAll(b.sources());
        assertThat(b.input().shape()[1]).isEqualTo(3);
      }
      assertThat(loader.badSamples().files().keySet())
          .containsExactlyInAnyOrder(truncated.toString(), garbage.toString(), missing.toString());
      assertThat(loader.badSamples().skipped()).isGreaterThanOrEqualTo(9);
      assertThat(loader.badSamples().summary()).contains("3 bad file(s)");
    }
    assertThat(sources).noneMatch(s -> s.contains("truncated") || s.contains("garbage") || s.contains("missing"));
  }

  @Test
  void failPolicyStopsNamingTheFile() {
    LoaderSettings ls = LoaderSettings.defaults().withWorkers(2).withOnError(OnError.FAIL).withShuffle(false, false);
    try (Dataset ds = dataset(); DataLoader loader = new DataLoader(ds, ls, 8, 7)) {
      assertThatThrownBy(loader::next)
          .isInstanceOf(DataLoadException.class)
          .hasMessageContaining("on-error = fail")
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(
              truncated.toString(), garbage.toString(), missing.toString()));
      // the failure sticks: no batch past the hole is handed out
      assertThatThrownBy(loader::next).isInstanceOf(DataLoadException.class);
      assertThat(loader.cursor()).isEqualTo(org.bevt4j.core.data.loader.LoaderCursor.start());
    }
  }

  @Test
  void corruptedPayloadIsDecodedOrReportedButNeverCrashes() throws IOException {
    for (VideoCodec codec : VideoCodec.values()) {
      Path d = dir.resolve("c-" + codec);
      SyntheticWriter.Written w = new SyntheticWriter(new SceneGenerator(2), 64, 48)
          .writeVideos(d, 1, 40, codec, 25, 8, codec == VideoCodec.H264 ? 1500 : codec == VideoCodec.MPEG4 ? 3 : 20);
      byte[] b = Files.readAllBytes(w.files().get(0));
      Random r = new Random(11);
      for (int i = b.length / 4; i < b.length / 4 + b.length / 3; i += 7) {
        b[i] = (byte) r.nextInt(256); // damage the middle of the payload, keep headers and index
      }
      Path bad = d.resolve("damaged." + codec.extension());
      Files.write(bad, b);
      int outcome;
      try (VideoReader v = VideoReader.open(bad)) {
        int n = v.frameCount();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
          all[i] = i;
        }
        assertThat(v.read(all)).hasSize(n).doesNotContainNull();
        assertThat(v.read(new int[] {0, n / 2})).hasSize(2);
        outcome = 1;
      } catch (IOException e) {
        assertThat(e.getMessage()).contains(bad.toString());
        outcome = 2;
      }
      assertThat(outcome).isIn(1, 2);
    }
  }

  @Test
  void badListLineNamesFileAndLine() throws IOException {
    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "# comment\na.mp4 1\n\njustonefield\n");
    assertThatThrownBy(() -> ListFiles.read(bad, null, false))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.txt: line 4")
        .hasMessageContaining("justonefield");
    Files.writeString(bad, "a.mp4 1\nb c.mp4 x\n");
    assertThatThrownBy(() -> ListFiles.read(bad, null, false))
        .hasMessageContaining("bad.txt: line 2").hasMessageContaining("label \"x\" is not an integer");
    Files.writeString(bad, "frames/a 10 1\nframes/b -3 2\n");
    assertThatThrownBy(() -> ListFiles.read(bad, null, true))
        .hasMessageContaining("bad.txt: line 2").hasMessageContaining("num_frames");
    Files.writeString(bad, "my clips/a b.mp4 7\n");
    assertThat(ListFiles.read(bad, Path.of("/data"), false).get(0).path()).isEqualTo(Path.of("/data/my clips/a b.mp4"));
  }
}
