package org.bevt4j.core.data;

import java.nio.file.Path;

/**
 * One item of a file-backed dataset.
 *
 * @param path image or video file, or frame folder
 * @param label class index, -1 when unlabelled
 * @param frames frame count of a frame folder, -1 otherwise
 */
public record MediaEntry(Path path, int label, int frames) {}
