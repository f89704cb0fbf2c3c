package org.bevt4j.cli.commands;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bevt4j.api.Settings;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.api.TokenizerFactory;
import org.bevt4j.cli.UsageException;
import org.bevt4j.core.BevtRuntime;
import org.bevt4j.core.ComponentBuilder;
import org.bevt4j.core.RuntimeBuildContext;
import org.bevt4j.core.registry.ComponentRegistry;

/** Builds components the way the commands need them: a chosen type, another weights file. */
final class Components {
  static final String TOKENIZER_TYPE = "bevt.model.tokenizer.type";

  private Components() {}

  /**
   * Builds a tokenizer of {@code type} (null: {@code bevt.model.tokenizer.type}) from its settings
   * {@code bevt.model.tokenizer.<type>}, with {@code weights} (when not null) replacing the
   * configured {@code weights}; records it in the context.
   *
   * @param typeSource where the type came from, for errors (e.g. {@code --type})
   */
  static Tokenizer tokenizer(BevtRuntime rt, RuntimeBuildContext ctx, String type, String typeSource, Path weights) {
    String t = type;
    String key = typeSource;
    String origin = null;
    if (t == null) {
      Settings root = Settings.of(rt.config(), "");
      t = root.string(TOKENIZER_TYPE);
      key = TOKENIZER_TYPE;
      origin = root.origin(TOKENIZER_TYPE);
    }
    ComponentRegistry<TokenizerFactory> reg = rt.registries().tokenizers();
    TokenizerFactory f = reg.get(t, key, origin);
    Config settings = rt.components().subtree("bevt.model.tokenizer." + ConfigUtil.joinPath(t));
    if (weights != null) {
      settings = settings.withValue("weights", ConfigValueFactory.fromAnyRef(existing(weights, "weights").toString()));
    }
    Tokenizer tok = ComponentBuilder.create(reg, f, t, settings, ctx);
    ctx.setTokenizer(tok);
    return tok;
  }

  /** The absolute path of an existing regular file; a usage error naming {@code what} otherwise. */
  static Path existing(Path file, String what) {
    Path p = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new UsageException(what + " " + file + ": no such file");
    }
    if (!Files.isReadable(p)) {
      throw new UsageException(what + " " + file + ": not readable");
    }
    return p;
  }

  /** A HOCON string literal. */
  static String quote(String s) {
    return ConfigUtil.quoteString(s);
  }
}
