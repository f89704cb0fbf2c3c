package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bevt4j.api.StreamKind;
import org.bevt4j.core.data.loader.LoaderSettings;
import org.junit.jupiter.api.Test;

class ShardPlanTest {
  private static final TrainSettings TS = TrainSettings.from(Tiny.config(Path.of("unused"), "bevt.train.accumulate = 2"));
  private static final LoaderSettings LOADER = LoaderSettings.defaults();

  @Test
  void ranksInterleaveToTheSingleProcessOrder() {
    int world = 3;
    long size = 12;
    long[] single = ShardPlan.of(TS, LOADER, 0, StreamKind.VIDEO, size, 0, 1).epoch0();
    List<long[]> ranks = new ArrayList<>();
    for (int r = 0; r < world; r++) {
      ShardPlan p = ShardPlan.of(TS, LOADER, 0, StreamKind.VIDEO, size, r, world);
      assertThat(p.epoch0()).hasSize(4);
      ranks.add(p.epoch0());
    }
    for (int k = 0; k < 4; k++) {
      for (int r = 0; r < world; r++) {
        assertThat(ranks.get(r)[k]).as("rank %d position %d", r, k).isEqualTo(single[k * world + r]);
      }
    }
    // deterministic: the same plan again
    assertThat(ShardPlan.of(TS, LOADER, 0, StreamKind.VIDEO, size, 2, world).epoch0()).isEqualTo(ranks.get(2));
  }

  @Test
  void describesSizesBatchesAndTheGlobalBatch() {
    ShardPlan p = ShardPlan.of(TS, LOADER, 0, StreamKind.IMAGE, 33, 1, 4);
    // 33 samples padded to 36: 9 per rank, batches of 4 (drop-last) -> 2
    assertThat(p.epoch0()).hasSize(9);
    assertThat(p.batchesPerEpoch()).isEqualTo(2);
    assertThat(p.globalBatch()).isEqualTo(4L * 2 * 4);
    assertThat(p.describe(3))
        .contains("rank 1/4 reads 9 of 33 samples per epoch, 2 batches of 4 (global batch 32 = 4 x 2 accumulate x 4 ranks)")
        .contains("... (6 more)]");
  }
}
