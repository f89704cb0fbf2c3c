/** FFmpeg (bytedeco presets) video decoding with frame-accurate seeking, MP4/WebM writing, and the video, raw-frame datasets. */
package org.bevt4j.core.data.video;
