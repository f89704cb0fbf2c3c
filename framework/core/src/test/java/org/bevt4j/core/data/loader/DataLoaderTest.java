package org.bevt4j.core.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bevt4j.api.Dataset;
import org.bevt4j.core.data.DataBench;
import org.bevt4j.core.data.DataSources;
import org.bevt4j.core.data.TestData;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
  static Dataset tiny() {
    return DataSources.create(TestData.stream("video",
        "scale-range = [28, 36], crop-size = 24, clip-len = 4, frame-interval = 2, tokenizer-size = 12, "
            + "synthetic { width = 40, height = 32, frames = 20, size = 10 }"), null);
  }

  static List<HostBatch> take(DataLoader l, int n) {
    List<HostBatch> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(l.next());
    }
    return out;
  }

  static void assertSame(List<HostBatch> a, List<HostBatch> b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).input()).as("batch %d input", i).isEqualTo(b.get(i).input());
      assertThat(a.get(i).tokenizerInput()).as("batch %d tokenizer", i).isEqualTo(b.get(i).tokenizerInput());
      assertThat(a.get(i).labels()).isEqualTo(b.get(i).labels());
      assertThat(a.get(i).sources()).isEqualTo(b.get(i).sources());
      assertThat(a.get(i).cursor()).isEqualTo(b.get(i).cursor());
    }
  }

  @Test
  void sameSeedSameBatchesRegardlessOfWorkers() {
    List<List<HostBatch>> runs = new ArrayList<>();
    for (int workers : new int[] {1, 3}) {
      LoaderSettings ls = LoaderSettings.defaults().withWorkers(workers).withPrefetch(workers == 1 ? 1 : 5);
      try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, ls, 3, 42)) {
        assertThat(l.batchesPerEpoch()).isEqualTo(3);
        runs.add(take(l, 7)); // crosses two epoch boundaries
      }
    }
    assertSame(runs.get(0), runs.get(1));
    HostBatch b = runs.get(0).get(0);
    assertThat(b.input().shape()).containsExactly(3, 3, 4, 24, 24);
    assertThat(b.tokenizerInput().shape()).containsExactly(3, 4, 3, 12, 12);
    assertThat(runs.get(0).get(3).cursor()).isEqualTo(new LoaderCursor(1, 0));
    // epochs are reshuffled, and another seed gives another order
    assertThat(runs.get(0).get(0).sources()).isNotEqualTo(runs.get(0).get(3).sources());
    try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, LoaderSettings.defaults().withWorkers(2), 3, 43)) {
      assertThat(l.next().input()).isNotEqualTo(b.input());
    }
  }

  @Test
  void resumeFromCursorContinuesLikeAnUninterruptedRun() {
    LoaderSettings ls = LoaderSettings.defaults().withWorkers(2).withPrefetch(3);
    List<HostBatch> full;
    try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, ls, 3, 7)) {
      full = take(l, 8);
    }
    LoaderCursor saved;
    List<HostBatch> first;
    try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, ls, 3, 7)) {
      first = take(l, 4);
      saved = l.cursor();
    }
    assertThat(saved.toString()).isEqualTo("1:1");
    List<HostBatch> rest;
    try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, ls, 3, 7, 0, 1, LoaderCursor.parse(saved.toString()))) {
      rest = take(l, 4);
    }
    List<HostBatch> joined = new ArrayList<>(first);
    joined.addAll(rest);
    assertSame(joined, full);
    // seek on a live loader discards prefetched work and restarts exactly
    try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, ls, 3, 7)) {
      take(l, 2);
      l.seek(new LoaderCursor(0, 1));
      assertSame(take(l, 3), full.subList(1, 4));
    }
  }

  @Test
  void ranksReadDisjointSlicesThatCoverTheEpoch() {
    EpochOrder whole = new EpochOrder(10, 3, true, 0, 1);
    Set<Long> seen = new HashSet<>();
    long total = 0;
    for (int r = 0; r < 3; r++) {
      long[] s = new EpochOrder(10, 3, true, r, 3).slice(2);
      assertThat(s).hasSize(4); // ceil(10 / 3), padded by wrapping
      for (long v : s) {
        seen.add(v);
      }
      total += s.length;
    }
    assertThat(seen).hasSize(10);
    assertThat(total).isEqualTo(12);
    assertThat(whole.slice(0)).isNotEqualTo(whole.slice(1));
    assertThat(new EpochOrder(10, 3, false, 0, 1).slice(5)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    try (Dataset ds = tiny();
        DataLoader r0 = new DataLoader(ds, LoaderSettings.defaults().withWorkers(1), 2, 3, 0, 2, LoaderCursor.start());
        DataLoader r1 = new DataLoader(ds, LoaderSettings.defaults().withWorkers(1), 2, 3, 1, 2, LoaderCursor.start())) {
      Set<String> a = new HashSet<>(r0.next().sources());
      a.retainAll(r1.next().sources());
      assertThat(a).isEmpty();
    }
  }

  @Test
  void closeStopsAllWorkerThreads() {
    try (Dataset ds = tiny()) {
      DataLoader l = new DataLoader(ds, LoaderSettings.defaults().withWorkers(3).withPrefetch(6), 3, 1);
      l.next();
      l.close();
      assertThatThrownBy(l::next).isInstanceOf(IllegalStateException.class);
    }
    long alive = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("bevt4j-data-") && t.isAlive()).count();
    assertThat(alive).isZero();
  }

  @Test
  void hostBatchBecomesNdArrays() {
    try (Dataset ds = tiny(); DataLoader l = new DataLoader(ds, LoaderSettings.defaults().withWorkers(1), 2, 1);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      HostBatch b = l.next();
      HostBatch.DeviceBatch d = b.toNDArrays(m);
      assertThat(d.input().getShape().getShape()).containsExactly(2, 3, 4, 24, 24);
      assertThat(d.tokenizerInput().getShape().getShape()).containsExactly(2, 4, 3, 12, 12);
      assertThat(d.labels().toLongArray()).containsExactly(b.labels()[0], b.labels()[1]);
      assertThat(d.input().toFloatArray()).containsExactly(b.input().data());
    }
  }

  @Test
  void benchReportsThroughputAsJson() {
    try (Dataset ds = tiny()) {
      DataBench.Result r = DataBench.run(ds, 2, 2, Duration.ofMillis(400), 1_000_000, 0);
      assertThat(r.clipsPerSecond()).isPositive();
      assertThat(r.imagesPerSecond()).isZero();
      assertThat(r.threads()).isEqualTo(2);
      assertThat(r.toJson()).contains("\"clips_per_s\": ", "\"images_per_s\": 0.000", "\"threads\": 2");
    }
    DataBench.Result both = DataBench.run(TestData.data(
        "video { scale-range = [], crop-size = 16, clip-len = 2, tokenizer-size = 8, batch-size = 2, synthetic { width = 16, height = 16, frames = 8, size = 4 } }, "
            + "image { scale-range = [], crop-size = 16, tokenizer-size = 8, batch-size = 2, synthetic { width = 16, height = 16, size = 4 } }"),
        null, 1, Duration.ofMillis(200), 1_000_000, 0);
    assertThat(both.clipsPerSecond()).isPositive();
    assertThat(both.imagesPerSecond()).isPositive();
  }
}
