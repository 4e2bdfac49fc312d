import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { encodeRasterPng } from './raster-png';

describe('encodeRasterPng', () => {
  it('writes a 1-bit greyscale PNG whose pixels are the raster (1 = black)', () => {
    const width = 13;
    const height = 3;
    const bits = Uint8Array.from([0b1010_0000, 0b0000_1000, 0xff, 0xf8, 0x00, 0x00]);
    const png = PNG.sync.read(encodeRasterPng({ width, height, bits }));
    expect([png.width, png.height]).toEqual([width, height]);
    const black = (x: number, y: number) => png.data[(y * width + x) * 4] === 0;
    expect([0, 1, 2, 12].map((x) => black(x, 0))).toEqual([true, false, true, true]);
    expect(Array.from({ length: width }, (_, x) => black(x, 1)).every(Boolean)).toBe(true);
    expect(Array.from({ length: width }, (_, x) => black(x, 2)).some(Boolean)).toBe(false);
  });
});
