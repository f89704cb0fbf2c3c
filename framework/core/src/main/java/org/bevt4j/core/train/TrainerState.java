package org.bevt4j.core.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.bevt4j.core.checkpoint.CheckpointException;

/**
 * The trainer's position, stored as {@code trainer} in a checkpoint's {@code state.json}. RNG state
 * needs no entry: every random stream is derived from the seed and the step ({@link Rngs}).
 *
 * @param globalStep optimizer steps completed in the run
 * @param stageIndex the stage being trained
 * @param stageName its name (checked against the config on resume)
 * @param stageStep optimizer steps completed in the stage ({@code == stageSteps}: stage complete)
 * @param stageSteps planned steps of the stage
 * @param seed the run seed
 * @param cursors the data sources' cursors by stream name
 * @param lossScaler the fp16 loss scaler's state, or null
 * @param worldSize the number of data-parallel ranks that trained (1 for a single process; absent
 *     in older checkpoints, read as 1); the cursors are per-rank positions, so resume needs the same
 */
public record TrainerState(
    long globalStep,
    int stageIndex,
    String stageName,
    long stageStep,
    long stageSteps,
    long seed,
    JsonObject cursors,
    JsonObject lossScaler,
    int worldSize) {

  /** Whether the checkpoint was taken at the end of its stage. */
  public boolean stageComplete() {
    return stageStep >= stageSteps;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("global_step", globalStep);
    o.addProperty("stage_index", stageIndex);
    o.addProperty("stage", stageName);
    o.addProperty("stage_step", stageStep);
    o.addProperty("stage_steps", stageSteps);
    o.addProperty("seed", seed);
    JsonObject rng = new JsonObject();
    rng.addProperty("scheme", "derived from seed and step");
    o.add("rng", rng);
    o.add("cursors", cursors);
    if (lossScaler != null) {
      o.add("loss_scaler", lossScaler);
    }
    o.addProperty("world_size", worldSize);
    return o;
  }

  public static TrainerState fromJson(JsonObject o) {
    try {
      JsonElement ls = o.get("loss_scaler");
      JsonElement ws = o.get("world_size");
      return new TrainerState(
          o.get("global_step").getAsLong(),
          o.get("stage_index").getAsInt(),
          o.get("stage").getAsString(),
          o.get("stage_step").getAsLong(),
          o.get("stage_steps").getAsLong(),
          o.get("seed").getAsLong(),
          o.getAsJsonObject("cursors"),
          ls == null || ls.isJsonNull() ? null : ls.getAsJsonObject(),
          ws == null || ws.isJsonNull() ? 1 : ws.getAsInt());
    } catch (RuntimeException e) {
      throw new CheckpointException("malformed trainer state in state.json: " + e.getMessage(), e);
    }
  }
}
