package org.bevt4j.api;

/** Extension point for backbones ({@code bevt.model.backbone.type}). */
@Stable
public interface BackboneFactory extends ComponentFactory<Backbone> {}
