/**
 * BEVT specifics of the Video Swin plugin: the image and video decoders ({@link
 * org.bevt4j.swin.bevt.BevtHeads}, whose parameters the backbone owns) and their {@link
 * org.bevt4j.api.Decoder} views.
 */
package org.bevt4j.swin.bevt;
