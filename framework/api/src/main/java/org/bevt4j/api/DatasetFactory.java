package org.bevt4j.api;

/**
 * Extension point for datasets ({@code bevt.data.image.type} / {@code .video.type}). The settings
 * given to {@link #create} are the stream's own subtree ({@code bevt.data.video}), which includes
 * the shared sampling/augmentation keys and the type's own block.
 */
@Stable
public interface DatasetFactory extends ComponentFactory<Dataset> {}
