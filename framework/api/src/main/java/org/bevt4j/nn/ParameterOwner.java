package org.bevt4j.nn;

import java.util.Map;

/** Something that owns trainable or frozen parameters under upstream state-dict names. */
public interface ParameterOwner {
  /** Parameters by dotted upstream name (e.g. {@code layers.0.blocks.1.attn.qkv.weight}), in order. */
  Map<String, Param> namedParameters();
}
