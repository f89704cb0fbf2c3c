package org.bevt4j.core.data.synthetic;

/**
 * Everything needed to render one synthetic sample at any resolution and frame: a textured
 * background and one textured foreground object with its motion. Positions and speeds are in
 * units of the frame's short side, so the same scene renders consistently at every size.
 *
 * @param bgA first background colour (packed 0xRRGGBB)
 * @param bgB second background colour
 * @param bgChecker checkerboard (true) or stripes (false)
 * @param bgFreq background pattern frequency (cycles per short side)
 * @param bgAngle stripe orientation (radians)
 * @param shape foreground shape
 * @param fgA first object colour
 * @param fgB second object colour (stripes inside the object make rotation visible)
 * @param radius object radius (fraction of the short side)
 * @param x0 initial centre x (fraction of the width)
 * @param y0 initial centre y (fraction of the height)
 * @param vx horizontal speed (short sides per frame)
 * @param vy vertical speed (short sides per frame)
 * @param angle0 initial angle (radians)
 * @param omega angular speed (radians per frame; positive = clockwise on screen)
 */
public record Scene(
    int bgA, int bgB, boolean bgChecker, float bgFreq, float bgAngle,
    Shape shape, int fgA, int fgB, float radius,
    float x0, float y0, float vx, float vy, float angle0, float omega) {}
