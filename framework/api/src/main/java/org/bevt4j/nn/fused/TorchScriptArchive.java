package org.bevt4j.nn.fused;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript module archive (the file {@code torch.jit.save} produces) for a
 * parameter-free module whose methods are given as TorchScript source, without Python.
 *
 * <p>Layout (every entry STORED under one top-level folder, as libtorch's {@code
 * PyTorchStreamReader} takes the folder of the first entry as the archive name):
 *
 * <pre>
 *   &lt;name&gt;/version              "3\n": file format 3 (type-tagged pickles); libtorch 2.x reads 1..N
 *   &lt;name&gt;/data.pkl             pickle of the module object: __torch__.&lt;Class&gt; with its attributes
 *   &lt;name&gt;/constants.pkl        pickle of the (empty) tuple of tensor constants
 *   &lt;name&gt;/code/__torch__.py     TorchScript source of class __torch__.&lt;Class&gt;
 * </pre>
 *
 * libtorch compiles {@code code/__torch__.py} when the archive is loaded, resolving the class name
 * found in {@code data.pkl}. The source must declare every attribute the object carries (a module
 * always has {@code training : bool}) and annotate {@code self} with the qualified class name, e.g.
 *
 * <pre>
 * class Ops(Module):
 *   __parameters__ = []
 *   __buffers__ = []
 *   training : bool
 *   def forward(self: __torch__.Ops, x: Tensor) -&gt; Tensor:
 *     return torch.relu(x)
 * </pre>
 *
 * Format 3 keeps the operator semantics of current libtorch for every op whose behaviour never
 * changed; ops with versioned semantics ({@code div} on integers, {@code full} with integer fill,
 * ...) would be run through libtorch's upgraders for format 3, so avoid them in such sources.
 */
public final class TorchScriptArchive {
  /** The file-format version written to {@code version}. */
  public static final int FILE_FORMAT_VERSION = 3;

  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private TorchScriptArchive() {}

  /**
   * Builds the archive bytes.
   *
   * @param archiveName the top-level folder (an identifier, e.g. {@code "bevt_ops"})
   * @param className the module class declared in {@code source} (e.g. {@code "BevtOps"})
   * @param source TorchScript source declaring {@code class <className>(Module)}
   * @param attributes the object's attribute values in declaration order (str, bool, int or null);
   *     {@code training} is added as {@code true} when absent
   * @return the zip bytes, loadable by {@code torch::jit::load}
   */
  public static byte[] build(
      String archiveName, String className, String source, Map<String, Object> attributes) {
    requireIdent("archive name", archiveName);
    requireIdent("class name", className);
    if (!source.contains("class " + className + "(")) {
      throw new IllegalArgumentException(
          "TorchScript source does not declare class " + className + " (expected 'class "
              + className + "(Module):')");
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("training", Boolean.TRUE);
    attrs.putAll(attributes);

    PickleWriter data = new PickleWriter().global("__torch__", className).emptyTuple().newObj();
    data.emptyDict().mark();
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      requireIdent("attribute name", e.getKey());
      data.string(e.getKey()).value(e.getValue());
    }
    byte[] dataPkl = data.setItems().build().stop();
    byte[] constantsPkl = new PickleWriter().emptyTuple().stop();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      String root = archiveName + "/";
      stored(zip, root + "data.pkl", dataPkl);
      stored(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      stored(zip, root + "constants.pkl", constantsPkl);
      stored(
          zip, root + "version", (FILE_FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TorchScript archive " + archiveName, e);
    }
    return bytes.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] content)
      throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(content.length);
    entry.setCompressedSize(content.length);
    CRC32 crc = new CRC32();
    crc.update(content);
    entry.setCrc(crc.getValue());
    entry.setTime(0L);
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }

  private static void requireIdent(String what, String value) {
    if (value == null || !IDENT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' must be a Python identifier [A-Za-z_][A-Za-z0-9_]*");
    }
  }
}
