package org.bevt4j.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import org.bevt4j.api.Backbone;
import org.bevt4j.api.BevtException;
import org.bevt4j.api.BevtPluginException;
import org.bevt4j.api.BuildContext;
import org.bevt4j.api.ComponentFactory;
import org.bevt4j.api.Dataset;
import org.bevt4j.api.Decoder;
import org.bevt4j.api.Masker;
import org.bevt4j.api.Settings;
import org.bevt4j.api.StreamKind;
import org.bevt4j.api.Tokenizer;
import org.bevt4j.core.config.ConfigErrors;
import org.bevt4j.core.plugin.ContextClassLoader;
import org.bevt4j.core.registry.ComponentRegistry;
import org.bevt4j.core.registry.Registries;

/**
 * Builds components from the configuration: looks up {@code type}, passes the factory its settings
 * subtree and calls it with the plugin's class loader as context loader.
 *
 * <table>
 *   <caption>What each factory receives</caption>
 *   <tr><th>component</th><th>type key</th><th>settings passed</th></tr>
 *   <tr><td>backbone</td><td>{@code bevt.model.backbone.type}</td><td>{@code bevt.model.backbone.<type>}</td></tr>
 *   <tr><td>tokenizer</td><td>{@code bevt.model.tokenizer.type}</td><td>{@code bevt.model.tokenizer.<type>}</td></tr>
 *   <tr><td>decoder</td><td>{@code bevt.model.decoder.<stream>.type} ({@code default}: the backbone's)</td>
 *       <td>{@code bevt.model.decoder.<stream>.<type>} (empty if absent)</td></tr>
 *   <tr><td>masker</td><td>{@code bevt.masking.<stream>.type}</td><td>{@code bevt.masking.<stream>}</td></tr>
 *   <tr><td>dataset</td><td>{@code bevt.data.<stream>.type}</td><td>{@code bevt.data.<stream>}</td></tr>
 * </table>
 */
public final class ComponentBuilder {
  /** The decoder type meaning "the backbone's own decoder for this stream". */
  public static final String DEFAULT_DECODER = "default";

  private final Config root;
  private final Registries registries;

  public ComponentBuilder(Config root, Registries registries) {
    this.root = root;
    this.registries = registries;
  }

  /** Builds the backbone and records it in the context. */
  public Backbone backbone(RuntimeBuildContext ctx) {
    Backbone b = byType(registries.backbones(), "bevt.model.backbone", ctx);
    ctx.setBackbone(b);
    return b;
  }

  /** Builds the tokenizer and records it in the context. */
  public Tokenizer tokenizer(RuntimeBuildContext ctx) {
    Tokenizer t = byType(registries.tokenizers(), "bevt.model.tokenizer", ctx);
    ctx.setTokenizer(t);
    return t;
  }

  /** Builds a stream's decoder; {@code default} asks the (already built) backbone for its own. */
  public Decoder decoder(StreamKind stream, BuildContext ctx) {
    String block = "bevt.model.decoder." + stream.configName();
    String typeKey = block + ".type";
    String type = string(typeKey);
    String origin = origin(typeKey);
    if (DEFAULT_DECODER.equals(type)) {
      Backbone backbone =
          ctx.backbone().orElseThrow(() -> new IllegalStateException("build the backbone before the decoders (decoder type default)"));
      type = backbone.defaultDecoder(stream);
      origin = "the default of backbone " + string("bevt.model.backbone.type");
    }
    ComponentRegistry<org.bevt4j.api.DecoderFactory> reg = registries.decoders(stream);
    return create(reg, reg.get(type, typeKey, origin), type, subtree(block + "." + ConfigUtil.joinPath(type)), ctx);
  }

  /** Builds a stream's masker from {@code bevt.masking.<stream>}. */
  public Masker masker(StreamKind stream, BuildContext ctx) {
    String block = "bevt.masking." + stream.configName();
    return byStreamBlock(registries.maskers(), block, ctx);
  }

  /** Builds a stream's dataset from {@code bevt.data.<stream>}. */
  public Dataset dataset(StreamKind stream, BuildContext ctx) {
    String block = "bevt.data." + stream.configName();
    return byStreamBlock(registries.datasets(), block, ctx);
  }

  private <T, F extends ComponentFactory<T>> T byType(ComponentRegistry<F> reg, String block, BuildContext ctx) {
    String typeKey = block + ".type";
    String type = string(typeKey);
    F factory = reg.get(type, typeKey, origin(typeKey));
    return create(reg, factory, type, subtree(block + "." + ConfigUtil.joinPath(type)), ctx);
  }

  private <T, F extends ComponentFactory<T>> T byStreamBlock(ComponentRegistry<F> reg, String block, BuildContext ctx) {
    String typeKey = block + ".type";
    String type = string(typeKey);
    F factory = reg.get(type, typeKey, origin(typeKey));
    return create(reg, factory, type, subtree(block), ctx);
  }

  /**
   * Calls {@code factory.create(settings, ctx)} with the plugin's loader as context loader. Errors
   * other than bevt4j's own become a {@link BevtPluginException} naming the type and its plugin (a
   * Typesafe Config error becomes a configuration error).
   */
  public static <T, F extends ComponentFactory<T>> T create(
      ComponentRegistry<F> reg, F factory, String type, Config settings, BuildContext ctx) {
    try (ContextClassLoader ignored = ContextClassLoader.of(factory)) {
      T component = factory.create(settings, ctx);
      if (component == null) {
        throw new BevtPluginException(describe(reg, type) + " returned no component");
      }
      return component;
    } catch (BevtException e) {
      throw e;
    } catch (ConfigException e) {
      throw ConfigErrors.from(e);
    } catch (RuntimeException | LinkageError e) {
      throw new BevtPluginException(describe(reg, type) + " failed: " + e, e);
    }
  }

  private static String describe(ComponentRegistry<?> reg, String type) {
    String owner = reg.whichPlugin(type);
    return reg.point() + " \"" + type + "\"" + (owner == null ? "" : " (plugin " + owner + ")");
  }

  /** The subtree at {@code path}, or an empty config. */
  public Config subtree(String path) {
    return root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty();
  }

  private String string(String key) {
    return Settings.of(root, "").string(key);
  }

  private String origin(String key) {
    return Settings.of(root, "").origin(key);
  }
}
