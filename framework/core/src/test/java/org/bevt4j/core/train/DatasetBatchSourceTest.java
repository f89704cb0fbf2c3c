package org.bevt4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bevt4j.api.Sample;
import org.bevt4j.api.StreamKind;
import org.junit.jupiter.api.Test;

class DatasetBatchSourceTest {
  private static List<String> take(BatchSource s, int batches) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      for (Sample x : s.next()) {
        out.add(x.source() + ":" + x.input().data()[5]);
      }
    }
    return out;
  }

  @Test
  void epochsArePermutationsAndTheCursorResumesExactly() throws IOException {
    TinyDataset ds = new TinyDataset(StreamKind.IMAGE, 10, 1, 16);
    DatasetBatchSource a = new DatasetBatchSource(StreamKind.IMAGE, ds, 3, 42);
    assertThat(a.batchesPerEpoch()).isEqualTo(3); // the incomplete last batch is dropped
    List<String> epoch0 = take(a, 3);
    Set<String> ids = new HashSet<>();
    epoch0.forEach(s -> ids.add(s.substring(0, s.indexOf(':'))));
    assertThat(ids).hasSize(9);
    assertThat(a.epoch()).isEqualTo(1);
    JsonElement cursor = a.cursor();
    List<String> next = take(a, 4);
    assertThat(a.epoch()).isEqualTo(2);
    assertThat(next.subList(0, 9)).isNotEqualTo(epoch0); // reshuffled
    DatasetBatchSource b = new DatasetBatchSource(StreamKind.IMAGE, ds, 3, 42);
    b.restore(cursor);
    assertThat(take(b, 4)).isEqualTo(next);
    // another seed, another order
    assertThat(take(new DatasetBatchSource(StreamKind.IMAGE, ds, 3, 43), 3)).isNotEqualTo(epoch0);
    assertThatThrownBy(() -> new DatasetBatchSource(StreamKind.VIDEO, new TinyDataset(StreamKind.VIDEO, 2, 4, 16), 4, 1))
        .hasMessageContaining("video dataset has 2 samples, fewer than one batch of 4 (bevt.train.batch-size.video)");
  }
}
