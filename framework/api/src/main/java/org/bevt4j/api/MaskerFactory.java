package org.bevt4j.api;

/** Extension point for maskers ({@code bevt.masking.image.type} / {@code .video.type}). */
@Stable
public interface MaskerFactory extends ComponentFactory<Masker> {}
