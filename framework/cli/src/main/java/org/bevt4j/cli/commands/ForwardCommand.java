package org.bevt4j.cli.commands;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BackboneOutput;
import org.bevt4j.api.FeatureMap;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.cli.ExitCodes;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.io.SafeTensors;
import org.bevt4j.io.StateDict;
import org.bevt4j.io.TensorData;
import org.bevt4j.io.WeightFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bevt4j forward}: runs one component on a tensor file. */
@Command(
    name = "forward",
    mixinStandardHelpOptions = true,
    description = {
      "Run one component on tensors from a .safetensors file and write its outputs.",
      "backbone: in.video (B,3,T,H,W), in.image (B,3,H,W) or in.x (either rank), optional boolean in.mask on the mask",
      "  grid; writes every feature map as out.<name>. tokenizer: in.pixels (N,3,H,W) in [0,1]; writes out.token_ids",
      "  (int64) and, when the tokenizer has them, out.logits. The component's other settings come from the configuration."
    })
public final class ForwardCommand implements Callable<Integer> {
  /** The components {@code forward} can run. */
  public enum Component {
    backbone,
    tokenizer
  }

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(names = "--component", required = true, paramLabel = "backbone|tokenizer", description = "Which component to run.")
  Component component;

  @Option(names = "--type", required = true, paramLabel = "NAME", description = "Its type, e.g. video-swin or dalle.")
  String type;

  @Option(names = "--weights", paramLabel = "FILE", description = "Weights to load (.safetensors or a PyTorch checkpoint).")
  Path weights;

  @Option(names = "--input", required = true, paramLabel = "I.safetensors", description = "Input tensors.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "O.safetensors", description = "Output tensors.")
  Path output;

  @Override
  public Integer call() {
    Path in = Components.existing(input, "--input");
    Path w = weights == null ? null : Components.existing(weights, "--weights");
    StateDict tensors;
    try {
      tensors = SafeTensors.read(in);
    } catch (WeightFileException | IllegalArgumentException e) {
      throw new UsageException(input + ": not a readable .safetensors file: " + e.getMessage(), e);
    }
    List<String> sets = new ArrayList<>();
    if (component == Component.backbone) {
      sets.add("bevt.model.backbone.type=" + Components.quote(type));
      if (w != null) {
        sets.add("bevt.model.backbone.weights=" + Components.quote(w.toString()));
      }
    }
    Map<String, TensorData> out;
    try (BevtRuntime rt = Runtimes.openSeeded(spec, config, sets);
        RuntimeBuildContext ctx = rt.newBuildContext()) {
      out = component == Component.backbone
          ? backbone(rt.buildBackbone(ctx), tensors, ctx.manager())
          : tokenizer(Components.tokenizer(rt, ctx, type, "--type", w), tensors, ctx.manager());
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("component", component.name());
    meta.put("type", type);
    meta.put("input", in.getFileName().toString());
    SafeTensors.write(output, out, meta);
    PrintWriter pw = spec.commandLine().getOut();
    pw.println("wrote " + output + ":");
    out.forEach((k, v) -> pw.println("  " + k + " " + v.dtype() + " " + Arrays.toString(v.shape())));
    pw.flush();
    return ExitCodes.OK;
  }

  private Map<String, TensorData> backbone(Backbone b, StateDict tensors, NDManager manager) {
    String key;
    if (tensors.contains("in.video")) {
      key = "in.video";
    } else if (tensors.contains("in.image")) {
      key = "in.image";
    } else if (tensors.contains("in.x")) {
      key = "in.x";
    } else {
      throw new UsageException(input + ": no backbone input: expected in.video (B,3,T,H,W), in.image (B,3,H,W) or in.x; found "
          + tensors.keys());
    }
    TensorData x = tensors.get(key);
    int rank = x.shape().length;
    boolean video = key.equals("in.video") || (key.equals("in.x") && rank == 5);
    if ((video && rank != 5) || (!video && rank != 4)) {
      throw new UsageException(input + ": " + key + " has shape " + Arrays.toString(x.shape()) + "; expected "
          + (video ? "(B, 3, T, H, W)" : "(B, 3, H, W)") + (key.equals("in.x") ? " or (B, 3, T, H, W)" : ""));
    }
    if (!video && !b.supportsImages()) {
      throw new UsageException(input + ": " + key + " is an image batch, but backbone " + type + " has no image stream"
          + " (configure its image mode, or pass a (B, 3, T, H, W) clip)");
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray xs = x.toFloat32(manager);
      NDArray mask = tensors.contains("in.mask") ? tensors.get("in.mask").toNDArray(manager).toType(DataType.BOOLEAN, false) : null;
      BackboneOutput o;
      try {
        o = video ? b.forwardVideo(xs, mask, false) : b.forwardImage(xs, mask, false);
      } catch (IllegalArgumentException e) {
        throw new UsageException(input + ": the backbone refused the input: " + e.getMessage(), e);
      }
      for (FeatureMap m : o.all()) {
        out.put("out." + m.name(), TensorData.of(m.features()));
      }
    }
    return out;
  }

  private Map<String, TensorData> tokenizer(Tokenizer tok, StateDict tensors, NDManager manager) {
    if (!tensors.contains("in.pixels")) {
      throw new UsageException(input + ": no tokenizer input: expected in.pixels (N, 3, H, W) in [0, 1]; found " + tensors.keys());
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray px = tensors.get("in.pixels").toFloat32(manager);
      try {
        out.put("out.token_ids", TensorData.of(tok.encode(px).toType(DataType.INT64, false)));
        if (tok.providesLogits()) {
          out.put("out.logits", TensorData.of(tok.logits(px).toType(DataType.FLOAT32, false)));
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(input + ": the tokenizer refused in.pixels: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
