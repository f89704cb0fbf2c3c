/**
 * Visualisations written by the CLI and hooks: token maps of a tokenizer ({@link
 * org.bevt4j.core.viz.TokenMapImage}) for the {@code tokenize} and {@code compare-tokenizers}
 * commands.
 */
package org.bevt4j.core.viz;
