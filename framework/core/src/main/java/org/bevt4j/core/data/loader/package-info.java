/** Multi-threaded deterministic batch loading: per-epoch sharded order, per-sample RNG, bounded prefetch, resumable cursor, bad-sample policy. */
package org.bevt4j.core.data.loader;
