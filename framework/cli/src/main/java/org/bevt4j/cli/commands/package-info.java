/**
 * The subcommands of {@code bevt4j} (architecture §4): {@code quickstart}, {@code plugins},
 * {@code config validate|show}, {@code pretrain}, {@code finetune}, {@code probe}, {@code tokenize},
 * {@code compare-tokenizers}, {@code forward}, {@code convert} and {@code bench
 * data|tokenizer|allreduce|matmul|step}. Commands throw {@link org.bevt4j.cli.UsageException} for bad
 * files and options and {@code BevtConfigException} for configuration errors (both exit 2).
 */
package org.bevt4j.cli.commands;
