/** Procedural clips and images (labels depend on motion or shape), generated on the fly or written to disk as real media. */
package org.bevt4j.core.data.synthetic;
