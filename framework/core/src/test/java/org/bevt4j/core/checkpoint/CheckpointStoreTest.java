package org.bevt4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.bevt4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path tmp;

  private static Path save(CheckpointStore store, long step) {
    JsonObject trainer = new JsonObject();
    trainer.addProperty("global_step", step);
    return store.save(
        step,
        Map.of("w", TensorData.ofFloats(new float[] {step, 2 * step}, 2)),
        Map.of("format", "test"),
        Map.of("exp_avg.w", TensorData.ofFloats(new float[] {0.5f, -step}, 2)),
        Map.of(),
        trainer);
  }

  @Test
  void keepsTheLastKAndPointsLatestAtTheNewest() throws IOException {
    CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 2);
    for (long s : new long[] {10, 20, 30}) {
      save(store, s);
    }
    assertThat(store.list()).extracting(p -> p.getFileName().toString()).containsExactly("step-20", "step-30");
    assertThat(Files.readString(tmp.resolve("checkpoints/latest")).trim()).isEqualTo("step-30");
    assertThat(store.latestPointer()).contains(tmp.resolve("checkpoints/step-30"));
    Checkpoint c = store.latestValid().orElseThrow();
    assertThat(c.step()).isEqualTo(30);
    assertThat(c.model().get("w").toFloats()).containsExactly(30f, 60f);
    assertThat(c.optimizer().get("exp_avg.w").toFloats()).containsExactly(0.5f, -30f);
    assertThat(c.trainer().get("global_step").getAsLong()).isEqualTo(30);
    assertThat(c.state().getAsJsonObject("files").getAsJsonObject("model.safetensors").get("sha256").getAsString()).hasSize(64);
    // no temporary leftovers
    try (var s = Files.list(tmp.resolve("checkpoints"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("step-20", "step-30", "latest");
    }
    // re-saving a step replaces it
    save(store, 30);
    assertThat(store.list()).hasSize(2);
  }

  @Test
  void damagedCheckpointsAreDetectedAndSkipped() throws IOException {
    CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 5);
    save(store, 1);
    save(store, 2);
    Path three = save(store, 3);
    Path four = save(store, 4);
    // step-4: one flipped byte in the optimizer state, same size
    Path opt = four.resolve(Checkpoint.OPTIMIZER);
    try (FileChannel ch = FileChannel.open(opt, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, ch.size() - 1);
      b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
      ch.write(b, ch.size() - 1);
    }
    // step-3: truncated model
    try (FileChannel ch = FileChannel.open(three.resolve(Checkpoint.MODEL), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    assertThatThrownBy(() -> CheckpointStore.open(four)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("step-4").hasMessageContaining("optimizer.safetensors fails its SHA-256 checksum");
    assertThatThrownBy(() -> CheckpointStore.open(three)).hasMessageContaining("model.safetensors has").hasMessageContaining("truncated?");
    assertThat(store.latestValid().orElseThrow().step()).isEqualTo(2);
    // a garbled state.json
    Files.writeString(tmp.resolve("checkpoints/step-2/state.json"), "{\"format\": 1, \"step\": ");
    assertThat(store.latestValid().orElseThrow().step()).isEqualTo(1);
    // resolving a run dir / checkpoints dir / checkpoint dir
    assertThat(CheckpointStore.resolve(tmp, 5).step()).isEqualTo(1);
    assertThat(CheckpointStore.resolve(tmp.resolve("checkpoints/step-1"), 5).step()).isEqualTo(1);
    Files.delete(tmp.resolve("checkpoints/step-1/model.safetensors"));
    assertThatThrownBy(() -> CheckpointStore.resolve(tmp, 5)).hasMessageContaining("no valid checkpoint");
  }

  @Test
  void leftoversOfAnInterruptedWriteAreIgnoredAndCleaned() throws IOException {
    CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), 3);
    save(store, 5);
    Path partial = tmp.resolve("checkpoints/.tmp-step-6-123-456");
    Files.createDirectories(partial);
    Files.writeString(partial.resolve("model.safetensors"), "partial");
    assertThat(store.list()).hasSize(1);
    assertThat(store.latestValid().orElseThrow().step()).isEqualTo(5);
    store.cleanLeftovers();
    assertThat(partial).doesNotExist();
  }
}
