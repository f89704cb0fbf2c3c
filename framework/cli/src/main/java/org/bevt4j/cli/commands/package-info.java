/**
 * The subcommands of {@code bevt4j} (architecture §4): {@code plugins}, {@code config},
 * {@code convert}, {@code tokenize}, {@code compare-tokenizers}, {@code forward}, {@code probe} and
 * {@code bench data|tokenizer|allreduce} are implemented here. Commands that are not part of this
 * build yet ({@link org.bevt4j.cli.commands.PendingCommand}) declare their documented options and
 * report that they are not available (exit code 2). Commands throw {@link
 * org.bevt4j.cli.UsageException} for bad files and options and {@code BevtConfigException} for
 * configuration errors (both exit 2).
 */
package org.bevt4j.cli.commands;
