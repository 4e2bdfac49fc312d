/**
 * A 1-bit image as thermal printers take it: rows of packed bytes, most significant bit first,
 * 1 = a black (heated) dot. This is exactly the data layout of ESC/POS `GS v 0`, so the printed
 * job, the preview PNG and the tests all read the same bits.
 */
export interface BitRaster {
  readonly width: number;
  readonly height: number;
  /** `height` rows of `rowBytes(width)` bytes; padding bits at the end of a row are 0 (white). */
  readonly bits: Uint8Array;
}

export function rowBytes(width: number): number {
  return Math.ceil(width / 8);
}

export function getBit(r: BitRaster, x: number, y: number): boolean {
  const byte = r.bits[y * rowBytes(r.width) + (x >> 3)] ?? 0;
  return (byte & (0x80 >> (x & 7))) !== 0;
}

/** True when no dot is black: printing it would only feed blank paper. */
export function isBlank(r: BitRaster): boolean {
  return r.bits.every((b) => b === 0);
}

/**
 * Thresholds RGBA pixels (canvas `getImageData` order) to 1 bit. Deliberately a fixed threshold,
 * not dithering: text edges stay crisp and the QR modules, drawn on whole dots, stay exact.
 * `threshold` is on 0–255 luminance (ITU-R BT.601 weights); darker than it becomes black.
 * Transparent pixels count as white paper.
 */
export function thresholdRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, threshold: number): BitRaster {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const stride = rowBytes(width);
  const bits = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const a = rgba[i + 3]! / 255;
      // Composite over white paper, then weigh the channels.
      const lum = (0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!) * a + 255 * (1 - a);
      if (lum < threshold) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { width, height, bits };
}
