package org.bevt4j.nn.fused;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libtorch ops that DJL's NDArray API lacks (fused scaled-dot-product attention, roll, transposed
 * convolution, in-graph dtype casts), reached through a tiny TorchScript module compiled by
 * libtorch from {@code BevtOps.torchscript} (a resource next to this class).
 *
 * <p>The archive is generated in memory by {@link TorchScriptArchive} (no Python involved) and
 * loaded once per {@link Device}, lazily and thread-safely ({@link #get(Device)}). Each instance
 * owns a base {@link NDManager} on its device that holds the module, so it lives until {@link
 * #close()}/{@link #closeAll()} or until the engine's system manager closes.
 *
 * <p>Calls go through {@link IValueUtils#forward(PtSymbolBlock, NDList, boolean)} with {@code
 * isTrain = true} and a selector array named {@code module_method:<name>}: the method then runs
 * under the caller's grad mode, so inside a {@code GradientCollector} its result has a grad_fn and
 * gradients flow to every tensor argument; outside one no graph is recorded. ({@code
 * IValueUtils.runMethod} would run under no-grad and detach.) Only tensors can be passed that way,
 * so integer lists and float scalars travel as small CPU tensors that are cached per value (and
 * kept out of any {@link NDScope}). Results belong to the manager of the first argument.
 */
public final class TorchScriptOps implements AutoCloseable {
  /** Resource (next to this class) holding the module's TorchScript source. */
  public static final String SOURCE_RESOURCE = "BevtOps.torchscript";
  /** Class name of the scripted module. */
  public static final String CLASS_NAME = "BevtOps";

  private static final int MAX_CACHED_CONSTANTS = 512;
  private static final Map<Device, TorchScriptOps> INSTANCES = new ConcurrentHashMap<>();

  private final Device device;
  private final NDManager manager;
  private final NDManager host;
  private final PtSymbolBlock module;
  private final Map<String, NDArray> constants = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private TorchScriptOps(Device device) {
    this.device = device;
    this.manager = NDManager.newBaseManager(device, "PyTorch");
    this.host = device.isGpu() ? NDManager.newBaseManager(Device.cpu(), "PyTorch") : manager;
    try {
      this.module =
          JniUtils.loadModule(
              (PtNDManager) manager, new ByteArrayInputStream(archive()), true, false);
    } catch (IOException | RuntimeException e) {
      closeManagers();
      throw new IllegalStateException(
          "cannot load the TorchScript op module (" + SOURCE_RESOURCE + ") on " + device, e);
    }
  }

  /** The op module for {@code device}, loaded on first use. */
  public static TorchScriptOps get(Device device) {
    return INSTANCES.computeIfAbsent(device, TorchScriptOps::new);
  }

  /** The op module for the device {@code x} lives on. */
  public static TorchScriptOps of(NDArray x) {
    return get(x.getDevice());
  }

  /** Closes every loaded instance (they are re-created on the next {@link #get}). */
  public static void closeAll() {
    for (TorchScriptOps ops : INSTANCES.values()) {
      ops.close();
    }
  }

  /** The TorchScript source of the op module. */
  public static String source() {
    try (InputStream in = TorchScriptOps.class.getResourceAsStream(SOURCE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + SOURCE_RESOURCE + " is missing next to " + TorchScriptOps.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SOURCE_RESOURCE, e);
    }
  }

  /** The loadable TorchScript archive (zip bytes) built from {@link #source()}. */
  public static byte[] archive() {
    return TorchScriptArchive.build("bevt_ops", CLASS_NAME, source(), Map.of());
  }

  /** The device this instance runs on. */
  public Device device() {
    return device;
  }

  /**
   * {@code F.scaled_dot_product_attention(q, k, v)} with the default scale {@code 1/sqrt(d)}.
   * Shapes {@code (..., L, d)}, {@code (..., S, d)}, {@code (..., S, dv)} give {@code (..., L, dv)}.
   */
  public NDArray sdpa(NDArray q, NDArray k, NDArray v) {
    return call("sdpa", q, k, v);
  }

  /** {@code F.scaled_dot_product_attention(q, k, v, scale=scale)}. */
  public NDArray sdpa(NDArray q, NDArray k, NDArray v, double scale) {
    return call("sdpa_scale", q, k, v, scalar(scale));
  }

  /**
   * {@code F.scaled_dot_product_attention(q, k, v, attn_mask=bias)}: softmax(q·kᵀ/sqrt(d) + bias)·v
   * with a float additive bias broadcastable to {@code (..., L, S)} (e.g. a relative-position bias
   * plus a shifted-window mask folded into one tensor). Gradients reach q, k, v and the bias.
   */
  public NDArray sdpaBias(NDArray q, NDArray k, NDArray v, NDArray bias) {
    return call("sdpa_bias", q, k, v, bias);
  }

  /** {@link #sdpaBias(NDArray, NDArray, NDArray, NDArray)} with an explicit logit scale. */
  public NDArray sdpaBias(NDArray q, NDArray k, NDArray v, NDArray bias, double scale) {
    return call("sdpa_bias_scale", q, k, v, bias, scalar(scale));
  }

  /** {@code torch.roll(x, shifts, dims)} as one op (negative dims count from the end). */
  public NDArray roll(NDArray x, long[] shifts, int[] dims) {
    if (shifts.length != dims.length || shifts.length == 0) {
      throw new IllegalArgumentException(
          "roll needs as many shifts as dims (and at least one): shifts="
              + Arrays.toString(shifts) + " dims=" + Arrays.toString(dims));
    }
    long[] d = Arrays.stream(dims).asLongStream().toArray();
    return call("roll", x, ints(shifts), ints(d));
  }

  /** In-graph cast to float16 ({@code x.half()}); unlike {@code toType} it keeps autograd. */
  public NDArray toHalf(NDArray x) {
    return call("to_f16", x);
  }

  /** In-graph cast to float32 ({@code x.float()}); keeps autograd. */
  public NDArray toFloat(NDArray x) {
    return call("to_f32", x);
  }

  /**
   * {@code F.linear(x.half(), w.half(), b.half()).float()}: the matmul in float16, inputs cast and
   * the result cast back to float32 inside the graph, so gradients reach {@code x}, {@code w} and
   * {@code b} (as float32 when they are float32). {@code b} may be null.
   */
  public NDArray linearHalf(NDArray x, NDArray w, NDArray b) {
    return b == null ? call("linear_f16_nobias", x, w) : call("linear_f16", x, w, b);
  }

  /** {@code torch.matmul(a.half(), b.half()).float()}, differentiable (see {@link #linearHalf}). */
  public NDArray matMulHalf(NDArray a, NDArray b) {
    return call("matmul_f16", a, b);
  }

  /**
   * {@code F.conv1d/2d/3d(x.half(), w.half(), b.half(), stride, padding, dilation, groups).float()}
   * (the rank follows {@code w}: {@code (Cout, Cin/groups, k...)}); {@code b} may be null.
   */
  public NDArray convHalf(NDArray x, NDArray w, NDArray b, long[] stride, long[] padding, long[] dilation, int groups) {
    int nd = w.getShape().dimension() - 2;
    if (nd < 1 || nd > 3) {
      throw new IllegalArgumentException("convHalf needs a 1-d, 2-d or 3-d kernel (Cout, Cin/groups, k...), got " + w.getShape());
    }
    for (long[] a : new long[][] {stride, padding, dilation}) {
      if (a.length != nd) {
        throw new IllegalArgumentException(
            "conv" + nd + "d needs " + nd + " values per stride/padding/dilation, got " + Arrays.toString(a));
      }
    }
    String m = "conv" + nd + "d_f16";
    NDArray s = ints(stride);
    NDArray p = ints(padding);
    NDArray d = ints(dilation);
    NDArray g = ints(new long[] {groups});
    return b == null ? call(m + "_nobias", x, w, s, p, d, g) : call(m, x, w, b, s, p, d, g);
  }

  /**
   * {@code F.scaled_dot_product_attention} on float16 casts of q, k, v (and of the additive
   * {@code bias}, which may be null) with the logit scale {@code scale}; the result is cast back to
   * float32 in the graph, gradients reach every float32 argument.
   */
  public NDArray sdpaHalf(NDArray q, NDArray k, NDArray v, NDArray bias, double scale) {
    return bias == null ? call("sdpa_f16", q, k, v, scalar(scale)) : call("sdpa_bias_f16", q, k, v, bias, scalar(scale));
  }

  /**
   * {@code F.conv_transpose3d(x, w, b, stride, padding, output_padding, groups=1, dilation)}; {@code
   * w} is {@code (Cin, Cout, kd, kh, kw)}, {@code b} may be null.
   */
  public NDArray convTranspose3d(
      NDArray x, NDArray w, NDArray b, int[] stride, int[] padding, int[] outputPadding,
      int[] dilation) {
    return convTranspose(3, x, w, b, stride, padding, outputPadding, dilation);
  }

  /** {@code F.conv_transpose2d} with the same conventions as {@link #convTranspose3d}. */
  public NDArray convTranspose2d(
      NDArray x, NDArray w, NDArray b, int[] stride, int[] padding, int[] outputPadding,
      int[] dilation) {
    return convTranspose(2, x, w, b, stride, padding, outputPadding, dilation);
  }

  private NDArray convTranspose(
      int nd, NDArray x, NDArray w, NDArray b, int[] stride, int[] padding, int[] outputPadding,
      int[] dilation) {
    for (int[] a : new int[][] {stride, padding, outputPadding, dilation}) {
      if (a.length != nd) {
        throw new IllegalArgumentException(
            "conv_transpose" + nd + "d needs " + nd + " values per stride/padding/output_padding/"
                + "dilation, got " + Arrays.toString(a));
      }
    }
    NDArray s = ints(Arrays.stream(stride).asLongStream().toArray());
    NDArray p = ints(Arrays.stream(padding).asLongStream().toArray());
    NDArray op = ints(Arrays.stream(outputPadding).asLongStream().toArray());
    NDArray dl = ints(Arrays.stream(dilation).asLongStream().toArray());
    String m = "conv_transpose" + nd + "d";
    return b == null ? call(m + "_nobias", x, w, s, p, op, dl) : call(m, x, w, b, s, p, op, dl);
  }

  /**
   * One AdamW update of a group of parameters that share the learning rate and the weight decay,
   * through libtorch's fused multi-tensor kernel ({@code torch._fused_adamw_}, as {@code
   * torch.optim.AdamW(fused=True)} calls it): first every step counter is incremented by one, then,
   * per element, with {@code t} the tensor's new step count,
   *
   * <pre>
   *   w ← w · (1 − lr·wd);  m ← m + (1 − β1)·(g − m);  v ← β2·v + (1 − β2)·g²
   *   w ← w − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
   * </pre>
   *
   * ({@code m} as {@code exp_avg.lerp_(grad, 1 − β1)}; bias corrections in double precision). All
   * tensors are updated in place, without autograd; the lists must have equal lengths, and each
   * entry of {@code steps} is a float32 scalar tensor on the parameter's device (exact up to 2^24
   * steps).
   *
   * @return the number of parameters updated
   */
  public int fusedAdamW(
      List<NDArray> params, List<NDArray> grads, List<NDArray> expAvgs, List<NDArray> expAvgSqs,
      List<NDArray> steps, double lr, double beta1, double beta2, double weightDecay, double eps) {
    int n = params.size();
    if (grads.size() != n || expAvgs.size() != n || expAvgSqs.size() != n || steps.size() != n) {
      throw new IllegalArgumentException(
          "fusedAdamW needs lists of equal length: params " + n + ", grads " + grads.size()
              + ", exp_avgs " + expAvgs.size() + ", exp_avg_sqs " + expAvgSqs.size() + ", steps "
              + steps.size());
    }
    if (n == 0) {
      return 0;
    }
    if (closed) {
      throw new IllegalStateException("TorchScriptOps for " + device + " is closed");
    }
    IValue[] args = {
      tensorList(params), tensorList(grads), tensorList(expAvgs), tensorList(expAvgSqs),
      tensorList(steps), IValue.from(lr), IValue.from(beta1), IValue.from(beta2),
      IValue.from(weightDecay), IValue.from(eps)
    };
    try (IValue out = IValueUtils.runMethod(module, "fused_adamw", args)) {
      return Math.toIntExact(out.toLong());
    } finally {
      for (IValue a : args) {
        a.close();
      }
    }
  }

  private static IValue tensorList(List<NDArray> arrays) {
    PtNDArray[] pt = new PtNDArray[arrays.size()];
    for (int i = 0; i < pt.length; i++) {
      NDArray a = arrays.get(i);
      if (!(a instanceof PtNDArray)) {
        throw new IllegalArgumentException(
            "TorchScriptOps needs PyTorch-engine arrays, got " + a.getClass().getName());
      }
      pt[i] = (PtNDArray) a;
    }
    return IValue.listFrom(pt);
  }

  /**
   * Runs method {@code name} of the module on tensor arguments (grad-preserving, see the class
   * comment). Exposed for custom methods of the same module.
   */
  public NDArray call(String name, NDArray... args) {
    if (closed) {
      throw new IllegalStateException("TorchScriptOps for " + device + " is closed");
    }
    NDList in = new NDList(args.length + 1);
    for (NDArray a : args) {
      in.add(unnamed(a));
    }
    in.add(selector(name));
    NDList out = IValueUtils.forward(module, in, true);
    return out.singletonOrThrow();
  }

  /**
   * DJL's IValue packing interprets array names (dotted names become dicts, "[]"/"()" suffixes
   * lists/tuples); a named argument is passed as an unnamed view so that it stays a plain tensor.
   */
  private static NDArray unnamed(NDArray a) {
    if (!(a instanceof PtNDArray)) {
      throw new IllegalArgumentException(
          "TorchScriptOps needs PyTorch-engine arrays, got " + a.getClass().getName());
    }
    return a.getName() == null ? a : a.reshape(a.getShape());
  }

  private NDArray selector(String method) {
    return constant(
        "m:" + method,
        () -> {
          NDArray s = host.zeros(new Shape(1));
          s.setName("module_method:" + method);
          return s;
        });
  }

  private NDArray scalar(double value) {
    return constant("f:" + Double.doubleToLongBits(value), () -> host.create(value));
  }

  private NDArray ints(long[] values) {
    return constant("i:" + Arrays.toString(values), () -> host.create(values));
  }

  private NDArray constant(String key, java.util.function.Supplier<NDArray> make) {
    NDArray c = constants.get(key);
    if (c != null) {
      return c;
    }
    if (constants.size() >= MAX_CACHED_CONSTANTS) {
      return make.get(); // uncached: freed by the caller's scope / the host manager
    }
    return constants.computeIfAbsent(
        key,
        k -> {
          NDArray a = make.get();
          NDScope.unregister(a);
          return a;
        });
  }

  /** Frees the module and its cached constants; {@link #get} loads a fresh one afterwards. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    INSTANCES.remove(device, this);
    module.close();
    constants.clear();
    closeManagers();
  }

  private void closeManagers() {
    if (host != manager) {
      host.close();
    }
    manager.close();
  }
}
