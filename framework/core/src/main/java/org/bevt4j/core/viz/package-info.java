/**
 * Visualisations written by the CLI and hooks: token maps of a tokenizer ({@link
 * org.bevt4j.core.viz.TokenMapImage}) for {@code tokenize}, rows of token maps of several tokenizers
 * ({@link org.bevt4j.core.viz.TokenMapRow}) and the grouped bar chart ({@link
 * org.bevt4j.core.viz.ComparisonChart}) for {@code compare-tokenizers}.
 */
package org.bevt4j.core.viz;
