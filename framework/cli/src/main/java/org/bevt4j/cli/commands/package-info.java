/**
 * The subcommands of {@code bevt4j} (architecture §4). {@code plugins} and {@code config} are
 * implemented here; the others declare their documented options and report that they are not
 * available in this build yet (exit code 2) until they are wired to the trainer and tools.
 */
package org.bevt4j.cli.commands;
