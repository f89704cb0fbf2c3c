/** Logging set-up of the CLI: {@code --verbose} levels and a run directory's {@code log.txt}. */
package org.bevt4j.cli.logging;
