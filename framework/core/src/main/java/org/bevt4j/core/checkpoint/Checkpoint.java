package org.bevt4j.core.checkpoint;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;

/**
 * A verified checkpoint directory.
 *
 * @param dir the {@code step-<N>} directory
 * @param step the global optimizer step it was taken after
 * @param state the parsed {@code state.json}
 */
public record Checkpoint(Path dir, long step, JsonObject state) {
  public static final String MODEL = "model.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String STATE = "state.json";

  /** The model weights (memory-mapped). */
  public StateDict model() {
    return SafeTensors.read(dir.resolve(MODEL));
  }

  /** The optimizer state (memory-mapped). */
  public StateDict optimizer() {
    return SafeTensors.read(dir.resolve(OPTIMIZER));
  }

  /** The trainer's own state object ({@code state.json} → {@code trainer}). */
  public JsonObject trainer() {
    return state.getAsJsonObject("trainer");
  }
}
