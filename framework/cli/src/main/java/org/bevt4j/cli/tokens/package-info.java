/**
 * The work behind {@code tokenize} and {@code compare-tokenizers}: reading images, video frames and
 * folders ({@link org.bevt4j.cli.tokens.MediaInputs}), the centred-square Lanczos resize to a
 * tokenizer's input ({@link org.bevt4j.cli.tokens.SquareResize}), batch tokenization with ids, PNG
 * maps and a summary ({@link org.bevt4j.cli.tokens.TokenizeJob}), and the comparison's frames and
 * report files ({@link org.bevt4j.cli.tokens.ComparisonFrames}, {@link
 * org.bevt4j.cli.tokens.ComparisonReport}).
 */
package org.bevt4j.cli.tokens;
