/**
 * Weight loading for the Video Swin plugin: prefix handling, binding with shape checks, BEVT's 2-D
 * → 3-D inflation and window-size resizing of relative-position tables.
 */
package org.bevt4j.swin.weights;
