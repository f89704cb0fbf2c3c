/**
 * The PF4J plugin host: {@link org.bevt4j.core.plugin.BevtPluginManager} (development and
 * deployment modes, refusal of plugins that bundle host libraries, isolated start failures),
 * {@link org.bevt4j.core.plugin.BevtPluginClassLoader} (host libraries always come from the host),
 * {@link org.bevt4j.core.plugin.GuiceExtensionFactory} (extensions created by the single injector)
 * and {@link org.bevt4j.core.plugin.PluginHost}, which also initialises the PyTorch engine before
 * any plugin starts.
 */
package org.bevt4j.core.plugin;
