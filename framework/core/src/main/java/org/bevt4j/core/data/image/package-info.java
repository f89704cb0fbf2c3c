/** Still-image decoding (FFmpeg codecs, ImageIO fallback), JPEG/PNG writing and the image-folder / image-list datasets. */
package org.bevt4j.core.data.image;
