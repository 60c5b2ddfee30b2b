package dev.dnn.data;

import dev.dnn.random.Philox;

/**
 * Shifts each image of a batch by a random whole number of pixels, independently in x and y, each
 * in {@code [-maxShift, maxShift]}; pixels shifted in from outside are {@code fill}. Features are
 * row-major images of {@code width x height}, or several such channels one after another. The shift
 * of row {@code r} comes from Philox words {@code 2r} and {@code 2r + 1} of {@code (seed, stream)}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class PixelShift implements BatchAugmentation {
  private final int width;
  private final int height;
  private final int maxShift;
  private final float fill;

  /**
   * @param width image width in pixels
   * @param height image height in pixels
   * @param maxShift the largest shift in either direction, in pixels
   * @param fill the value of pixels shifted in (0 for a black background)
   */
  public PixelShift(int width, int height, int maxShift, float fill) {
    if (width < 1 || height < 1 || maxShift < 0) {
      throw new IllegalArgumentException(
          "need width, height >= 1 and maxShift >= 0, got "
              + width
              + " x "
              + height
              + ", "
              + maxShift);
    }
    this.width = width;
    this.height = height;
    this.maxShift = maxShift;
    this.fill = fill;
  }

  @Override
  public void apply(float[] batch, int rows, int featureCount, long seed, long stream) {
    int pixels = width * height;
    if (featureCount % pixels != 0) {
      throw new IllegalArgumentException(
          featureCount + " features are not whole " + width + " x " + height + " images");
    }
    if ((long) rows * featureCount > batch.length) {
      throw new IllegalArgumentException(
          rows + " rows x " + featureCount + " features exceed the batch of " + batch.length);
    }
    float[] image = new float[pixels];
    int span = 2 * maxShift + 1;
    for (int r = 0; r < rows; r++) {
      int dx = draw(seed, stream, 2L * r, span) - maxShift;
      int dy = draw(seed, stream, 2L * r + 1, span) - maxShift;
      if (dx == 0 && dy == 0) {
        continue;
      }
      for (int c = r * featureCount; c < (r + 1) * featureCount; c += pixels) {
        System.arraycopy(batch, c, image, 0, pixels);
        for (int y = 0; y < height; y++) {
          int sy = y - dy;
          for (int x = 0; x < width; x++) {
            int sx = x - dx;
            boolean inside = sx >= 0 && sx < width && sy >= 0 && sy < height;
            batch[c + y * width + x] = inside ? image[sy * width + sx] : fill;
          }
        }
      }
    }
  }

  private static int draw(long seed, long stream, long index, int span) {
    long bits = Philox.bits(seed, stream, index) & 0xFFFFFFFFL;
    return (int) ((bits * span) >>> 32);
  }

  @Override
  public String toString() {
    return "PixelShift[" + width + "x" + height + ", max " + maxShift + "]";
  }
}
