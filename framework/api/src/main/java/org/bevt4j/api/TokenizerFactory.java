package org.bevt4j.api;

/** Extension point for tokenizers ({@code bevt.model.tokenizer.type}). */
@Stable
public interface TokenizerFactory extends ComponentFactory<Tokenizer> {}
