package org.bevt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.bevt4j.core.plugin.BevtPluginClassLoader;
import org.bevt4j.core.plugin.HostLibraryCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample plugin's zip has the PF4J layout and carries nothing the host provides. */
class SamplePluginZipTest {
  @TempDir Path tmp;

  @Test
  void theZipHoldsTheDescriptorAndOnlyThePluginJar() throws IOException {
    try (ZipFile zip = new ZipFile(PluginZips.sample().toFile())) {
      List<String> names = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory()) {
          names.add(entry.getName());
        }
      }
      assertThat(names).containsExactlyInAnyOrder("plugin.properties", "lib/vit-lite-plugin-1.0.0-SNAPSHOT.jar");
      Properties p = new Properties();
      try (InputStream in = zip.getInputStream(zip.getEntry("plugin.properties"))) {
        p.load(in);
      }
      assertThat(p.getProperty("plugin.id")).isEqualTo("vit-lite");
      assertThat(p.getProperty("plugin.version")).isEqualTo("1.0.0");
      assertThat(p.getProperty("plugin.requires")).isEqualTo(">=0.1.0");
    }
  }

  @Test
  void thePluginJarHasItsIndexItsOwnSubtreeOnlyAndNoHostClass() throws IOException {
    List<String> classes = new ArrayList<>();
    List<String> index = new ArrayList<>();
    Config reference = null;
    try (ZipFile zip = new ZipFile(PluginZips.sample().toFile());
        ZipInputStream jar = new ZipInputStream(zip.getInputStream(zip.getEntry("lib/vit-lite-plugin-1.0.0-SNAPSHOT.jar")))) {
      for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
        byte[] content = jar.readAllBytes();
        if (e.getName().endsWith(".class")) {
          classes.add(e.getName().replace('/', '.').replace(".class", ""));
        } else if (e.getName().equals("META-INF/extensions.idx")) {
          new String(content, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(index::add);
        } else if (e.getName().equals("reference.conf")) {
          reference = ConfigFactory.parseReader(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(classes).isNotEmpty().allMatch(c -> c.startsWith("org.example.bevt4j.vitlite.")).noneMatch(BevtPluginClassLoader::isHostClass);
    assertThat(index)
        .containsExactlyInAnyOrder(
            "org.example.bevt4j.vitlite.VitLiteBackboneFactory",
            "org.example.bevt4j.vitlite.VitLiteDecoderFactories$Video",
            "org.example.bevt4j.vitlite.VitLiteDecoderFactories$Image");
    assertThat(reference).isNotNull();
    assertThat(reference.root().keySet()).containsExactly("bevt");
    assertThat(reference.getObject("bevt").keySet()).containsExactly("model");
    assertThat(reference.getObject("bevt.model").keySet()).containsExactly("backbone");
    assertThat(reference.getObject("bevt.model.backbone").keySet()).containsExactly("vit-lite");
  }

  @Test
  void theHostsBundledLibraryCheckFindsNothingInTheExpandedZip() throws IOException {
    Path dir = tmp.resolve("vit-lite");
    try (ZipFile zip = new ZipFile(PluginZips.sample().toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        Path out = dir.resolve(entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, out);
          }
        }
      }
    }
    assertThat(HostLibraryCheck.scan(dir)).isEmpty();
  }
}
