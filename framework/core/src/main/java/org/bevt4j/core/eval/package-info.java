/**
 * Downstream evaluation: classification metrics (top-1/top-5, confusion matrix, per-class
 * accuracy), feature extraction from a backbone with an on-disk cache, and the frozen-backbone linear
 * probe used to compare pretrained backbones and tokenizers ({@link org.bevt4j.core.eval.ProbeRunner}
 * with {@link org.bevt4j.core.eval.ProbeOptions} from {@code bevt.eval.probe}); tokenizer comparison
 * statistics ({@link org.bevt4j.core.eval.TokenizerComparison}).
 */
package org.bevt4j.core.eval;
