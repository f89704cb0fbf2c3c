package org.bevt4j.core.data.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.core.data.synthetic.Motion;
import org.bevt4j.core.data.synthetic.Scene;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.transform.RgbFrame;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VideoRoundTripTest {
  static final int W = 96;
  static final int H = 64;
  static final int N = 40;

  @TempDir Path dir;

  static List<RgbFrame> frames() {
    // fast motion and rotation: consecutive frames differ clearly, so a wrong frame is detectable
    SceneGenerator gen = new SceneGenerator(7, 0.05, 0.15, 25);
    Scene s = gen.videoScene(3, Motion.RIGHT_FAST);
    Scene spin = gen.videoScene(4, Motion.ROTATE_CW);
    Scene scene = new Scene(s.bgA(), s.bgB(), s.bgChecker(), s.bgFreq(), s.bgAngle(), s.shape(), s.fgA(), s.fgB(),
        0.35f, s.x0(), s.y0(), s.vx(), s.vy() + 0.03f, s.angle0(), spin.omega());
    RgbFrame bg = SceneGenerator.background(scene, W, H);
    List<RgbFrame> out = new ArrayList<>();
    for (int t = 0; t < N; t++) {
      out.add(SceneGenerator.render(scene, bg, t));
    }
    return out;
  }

  static double mae(RgbFrame a, RgbFrame b) {
    long s = 0;
    for (int i = 0; i < a.data().length; i++) {
      s += Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF));
    }
    return s / (double) a.data().length;
  }

  static int closest(RgbFrame f, List<RgbFrame> written) {
    int best = -1;
    double bestMae = Double.MAX_VALUE;
    for (int i = 0; i < written.size(); i++) {
      double m = mae(f, written.get(i));
      if (m < bestMae) {
        bestMae = m;
        best = i;
      }
    }
    return best;
  }

  static Path write(Path dir, VideoCodec codec, List<RgbFrame> frames) throws Exception {
    Path p = dir.resolve("clip." + codec.extension());
    int quality = switch (codec) {
      case H264 -> 3000;
      case MPEG4 -> 3;
      case VP9 -> 20;
    };
    try (VideoWriter w = new VideoWriter(p, codec, W, H, 25, 16, quality)) {
      for (RgbFrame f : frames) {
        w.write(f);
      }
    }
    return p;
  }

  @ParameterizedTest
  @EnumSource(VideoCodec.class)
  void decodesEveryFrameInOrderWithinCodecTolerance(VideoCodec codec) throws Exception {
    List<RgbFrame> written = frames();
    Path p = write(dir, codec, written);
    try (VideoReader r = VideoReader.open(p)) {
      assertThat(r.frameCount()).isEqualTo(N);
      assertThat(r.width()).isEqualTo(W);
      assertThat(r.height()).isEqualTo(H);
      int[] all = new int[N];
      for (int i = 0; i < N; i++) {
        all[i] = i;
      }
      RgbFrame[] got = r.read(all);
      for (int i = 0; i < N; i++) {
        double own = mae(got[i], written.get(i));
        assertThat(own).as("%s frame %d MAE", codec, i).isLessThan(8.0);
        assertThat(closest(got[i], written)).as("%s frame %d is closest to itself", codec, i).isEqualTo(i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(VideoCodec.class)
  void seeksLandOnTheRequestedFrames(VideoCodec codec) throws Exception {
    List<RgbFrame> written = frames();
    Path p = write(dir, codec, written);
    try (VideoReader r = VideoReader.open(p)) {
      // forward jumps over key frames, then backwards (forces a real seek), then the last frame
      int[][] requests = {{5, 17, 31, 32, 33}, {2}, {N - 1}, {0, N - 1}, {16}, {15}, {30, 31}};
      for (int[] req : requests) {
        RgbFrame[] got = r.read(req);
        for (int i = 0; i < req.length; i++) {
          assertThat(closest(got[i], written)).as("%s seek to %d", codec, req[i]).isEqualTo(req[i]);
          assertThat(mae(got[i], written.get(req[i]))).isLessThan(8.0);
        }
      }
    }
  }
}
