/**
 * The {@code bevt4j} command line (picocli): {@link org.bevt4j.cli.Main}, the root
 * {@link org.bevt4j.cli.BevtCommand}, exit codes ({@link org.bevt4j.cli.ExitCodes}: 0 ok, 1 internal,
 * 2 usage/config, 3 plugin) and error reporting ({@link org.bevt4j.cli.ErrorHandler}).
 */
package org.bevt4j.cli;
