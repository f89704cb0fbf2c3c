package org.bevt4j.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.data.synthetic.SceneGenerator;
import org.bevt4j.core.data.synthetic.SyntheticWriter;
import org.bevt4j.core.data.video.VideoCodec;
import org.bevt4j.core.data.video.VideoReader;

/**
 * Manual throughput measurement (not a unit test): {@code gen DIR} writes 20 synthetic 340x256
 * 10-s H.264 MP4s and 400 340x256 JPEGs; {@code video DIR THREADS SECONDS} / {@code image ...}
 * run {@link DataBench} with the BEVT pipeline; {@code stages DIR} times decode vs augmentation.
 */
public final class DataBenchMain {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "gen" -> {
        long t0 = System.nanoTime();
        SyntheticWriter w = new SyntheticWriter(new SceneGenerator(0), 340, 256);
        w.writeVideos(dir.resolve("videos"), 20, 250, VideoCodec.valueOf(args.length > 2 ? args[2] : "H264"), 25,
            args.length > 4 ? Integer.parseInt(args[4]) : 250,
            args.length > 3 ? Integer.parseInt(args[3]) : 1500);
        w.writeImages(dir.resolve("images"), 400, 0.9f);
        System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      case "genimg" -> {
        // genimg DIR W H COUNT: JPEGs of another size into DIR/images
        new SyntheticWriter(new SceneGenerator(0), Integer.parseInt(args[2]), Integer.parseInt(args[3]))
            .writeImages(dir.resolve("images"), Integer.parseInt(args[4]), 0.9f);
      }
      case "video", "image" -> {
        int threads = Integer.parseInt(args[2]);
        int secs = Integer.parseInt(args[3]);
        String interval = args.length > 4 ? args[4] : "4";
        String block = args[0].equals("video")
            ? "type = video-list, video-list.file = \"" + dir.resolve("videos/videos.txt") + "\", frame-interval = " + interval
            : "type = image-list, image-list.file = \"" + dir.resolve("images/images.txt") + "\"";
        try (Dataset ds = DataSources.create(TestData.stream(args[0], block), null)) {
          DataBench.Result r = DataBench.run(ds, threads, args[0].equals("video") ? 4 : 32, Duration.ofSeconds(secs), Long.MAX_VALUE, 0);
          System.out.println(r.toJson());
        }
      }
      case "stages" -> {
        // single-thread split: decode only vs full sample
        Path list = dir.resolve("videos/videos.txt");
        try (Dataset ds = DataSources.create(TestData.stream("video", "type = video-list, video-list.file = \"" + list
            + "\", frame-interval = 4"), null)) {
          java.util.List<Path> files;
          try (var s = Files.list(dir.resolve("videos"))) {
            files = s.filter(Files::isDirectory).flatMap(d -> {
              try {
                return Files.list(d);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }).sorted().toList();
          }
          for (int rep = 0; rep < 2; rep++) {
            java.lang.management.ThreadMXBean tmx = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = tmx.getCurrentThreadCpuTime();
            int n = 0;
            SplittableRandom r = new SplittableRandom(rep);
            for (int i = 0; i < 60; i++) {
              try (VideoReader v = VideoReader.open(files.get(i % files.size()))) {
                int off = r.nextInt(v.frameCount() - 64 + 1);
                int[] idx = new int[16];
                for (int k = 0; k < 16; k++) {
                  idx[k] = off + 4 * k;
                }
                v.read(idx);
                n++;
              }
            }
            double dec = (tmx.getCurrentThreadCpuTime() - t0) / 1e9 / n;
            t0 = tmx.getCurrentThreadCpuTime();
            for (int i = 0; i < 60; i++) {
              ds.load(i % ds.size(), new SplittableRandom(i));
            }
            double full = (tmx.getCurrentThreadCpuTime() - t0) / 1e9 / 60;
            System.out.printf("per clip (thread CPU time): decode+RGB %.1f ms, full sample %.1f ms (augment+tokenizer copy %.1f ms)%n",
                dec * 1e3, full * 1e3, (full - dec) * 1e3);
          }
        }
      }
      case "synthetic" -> {
        // synthetic stream with HOCON overrides: synthetic DIR STREAM THREADS SECONDS "overrides"
        String stream = args[2];
        try (Dataset ds = DataSources.create(TestData.stream(stream, args.length > 5 ? args[5] : ""), null)) {
          int batch = StreamSettings.parse(TestData.stream(stream, args.length > 5 ? args[5] : ""), null).batchSize();
          System.out.println(DataBench.run(ds, Integer.parseInt(args[3]), batch, Duration.ofSeconds(Integer.parseInt(args[4])),
              Long.MAX_VALUE, 0).toJson());
        }
      }
      case "augment" -> {
        // augmentation cost per 16-frame clip from 340x256 frames, by variant (thread CPU time)
        org.bevt4j.core.data.transform.RgbFrame[] frames = new org.bevt4j.core.data.synthetic.SyntheticDataset(
            org.bevt4j.api.StreamKind.VIDEO, 1, 340, 256, 128, new SceneGenerator(0),
            new org.bevt4j.core.data.transform.SamplePipeline(org.bevt4j.core.data.transform.AugmentSettings.bevt(false),
                new org.bevt4j.core.data.transform.ClipSettings(16, 4, org.bevt4j.core.data.transform.ClipSettings.Sampling.RANDOM), null))
            .render(0, new int[] {0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60});
        java.lang.management.ThreadMXBean tmx = java.lang.management.ManagementFactory.getThreadMXBean();
        String[] variants = {"", "tokenizer-copy = false", "scale-range = [], tokenizer-copy = false", "scale-range = []"};
        for (int rep = 0; rep < 2; rep++) {
          for (String v : variants) {
            StreamSettings ss = StreamSettings.parse(TestData.stream("video", "frame-interval = 4, " + v), null);
            var p = ss.pipeline(null);
            long t0 = tmx.getCurrentThreadCpuTime();
            int n = 100;
            for (int i = 0; i < n; i++) {
              p.clip(64, idx -> {
                org.bevt4j.core.data.transform.RgbFrame[] out = new org.bevt4j.core.data.transform.RgbFrame[idx.length];
                for (int k = 0; k < idx.length; k++) {
                  out[k] = frames[k % 16];
                }
                return out;
              }, 0, "x", new SplittableRandom(i));
            }
            System.out.printf("%-45s %.2f ms/clip%n", v.isEmpty() ? "BEVT (rescale+crop+flip+tok+norm)" : v,
                (tmx.getCurrentThreadCpuTime() - t0) / 1e6 / n);
          }
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
