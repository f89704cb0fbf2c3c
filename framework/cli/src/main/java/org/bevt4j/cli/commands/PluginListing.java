package org.bevt4j.cli.commands;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.BevtVersion;
import org.bevt4j.core.plugin.PluginInfo;
import org.bevt4j.core.plugin.RejectedPlugin;
import org.bevt4j.core.registry.ExtensionFailure;
import org.bevt4j.core.registry.ExtensionRegistry;

/** What {@code bevt4j plugins} shows, as text or JSON. */
final class PluginListing {
  private final BevtRuntime rt;

  PluginListing(BevtRuntime rt) {
    this.rt = rt;
  }

  /** Whether anything failed (a refused, failed or disabled plugin, or a broken extension). */
  boolean hasProblems() {
    return !rt.plugins().problems().isEmpty() || !rt.extensionFailures().isEmpty();
  }

  void printText(PrintWriter out) {
    Map<String, Map<String, List<String>>> ext = rt.extensionsByOwner();
    out.printf(
        "bevt4j %s — plugins in %s (%s mode)%n",
        BevtVersion.build(), rt.plugins().pluginsDir(), rt.plugins().options().mode().toString());
    List<PluginInfo> plugins = rt.plugins().plugins();
    if (plugins.isEmpty()) {
      out.println();
      out.println("No plugins found.");
    }
    for (PluginInfo p : plugins) {
      out.println();
      out.printf("%s %s (%s)  %s%n", p.id(), p.version(), p.provider(), p.state());
      if (p.description() != null && !p.description().isBlank()) {
        out.println("  " + p.description());
      }
      if (p.error() != null) {
        out.println("  ! " + p.error());
      }
      printExtensions(out, ext.get(p.id()), p.started());
    }
    Map<String, List<String>> core = ext.get(ExtensionRegistry.HOST);
    if (core != null && !core.isEmpty()) {
      out.println();
      out.println("core (built in)");
      printExtensions(out, core, true);
    }
    List<String> problems = new ArrayList<>();
    for (RejectedPlugin r : rt.plugins().rejected()) {
      problems.add(r.label() + " (" + r.path() + "): " + r.reason());
    }
    for (ExtensionFailure f : rt.extensionFailures()) {
      problems.add(f.toString());
    }
    if (!problems.isEmpty()) {
      out.println();
      out.println("Not available:");
      problems.forEach(p -> out.println("  ! " + p));
    }
    out.flush();
  }

  private static void printExtensions(PrintWriter out, Map<String, List<String>> ext, boolean started) {
    if (ext == null || ext.isEmpty()) {
      out.println(started ? "  (no extensions)" : "  (extensions unavailable: not started)");
      return;
    }
    ext.forEach((point, names) -> out.printf("  %-14s %s%n", point + ":", String.join(", ", names)));
  }

  void printJson(PrintWriter out) {
    Map<String, Map<String, List<String>>> ext = rt.extensionsByOwner();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bevt4j", BevtVersion.build());
    root.put("frameworkVersion", BevtVersion.framework());
    root.put("pluginsDir", rt.plugins().pluginsDir().toString());
    root.put("mode", rt.plugins().options().mode().toString());
    List<Object> plugins = new ArrayList<>();
    for (PluginInfo p : rt.plugins().plugins()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("version", p.version());
      m.put("provider", p.provider());
      m.put("description", p.description());
      m.put("requires", p.requires());
      m.put("state", p.state());
      m.put("path", String.valueOf(p.path()));
      m.put("error", p.error());
      m.put("extensions", ext.getOrDefault(p.id(), Map.of()));
      plugins.add(m);
    }
    root.put("plugins", plugins);
    root.put("core", Map.of("extensions", ext.getOrDefault(ExtensionRegistry.HOST, Map.of())));
    List<Object> rejected = new ArrayList<>();
    for (RejectedPlugin r : rt.plugins().rejected()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.pluginId());
      m.put("path", String.valueOf(r.path()));
      m.put("reason", r.reason());
      rejected.add(m);
    }
    root.put("rejected", rejected);
    List<Object> failures = new ArrayList<>();
    for (ExtensionFailure f : rt.extensionFailures()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("owner", f.owner());
      m.put("point", f.point());
      m.put("class", f.className());
      m.put("message", f.message());
      failures.add(m);
    }
    root.put("extensionFailures", failures);
    out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root));
    out.flush();
  }
}
