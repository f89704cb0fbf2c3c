package org.bevt4j.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link CheckpointConverter} run.
 *
 * @param output the safetensors file written
 * @param tensors number of tensors written
 * @param tensorBytes bytes of tensor data written
 * @param fileBytes size of the output file
 * @param dtypes tensors per written dtype
 * @param dropped keys removed by select/drop rules (in source order)
 * @param widened number of F16/BF16 tensors widened to F32
 * @param container where the tensors were found in the source ({@code state_dict}, {@code <module>}, ...)
 */
public record ConversionSummary(
    Path output,
    int tensors,
    long tensorBytes,
    long fileBytes,
    Map<DType, Integer> dtypes,
    List<String> dropped,
    int widened,
    String container) {

  public ConversionSummary {
    dtypes = Map.copyOf(dtypes);
    dropped = List.copyOf(dropped);
  }

  /** One line for the CLI. */
  public String describe() {
    return "wrote " + tensors + " tensors (" + tensorBytes + " bytes of data, " + dtypes + ") to " + output
        + " from " + container + "; dropped " + dropped.size() + ", widened " + widened + " to F32";
  }
}
