/**
 * A `BitRaster` as a 1-bit greyscale PNG (ISO/IEC 15948: IHDR bit depth 1, colour type 0), so
 * the preview the renderer shows is the printed bits themselves, not a re-rendering. A 576-dot
 * slip is a few kilobytes, small enough to cross the contract as base64.
 */
import { crc32, deflateSync } from 'node:zlib';
import { rowBytes, type BitRaster } from '../printer/bit-raster';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function encodeRasterPng(r: BitRaster): Buffer {
  const stride = rowBytes(r.width);
  // Each scanline: filter type 0 (None), then the row. PNG greyscale 0 is black, so invert our
  // 1 = black; padding bits become 1 (white) and lie outside the image anyway.
  const scan = Buffer.alloc((stride + 1) * r.height);
  for (let y = 0; y < r.height; y++) {
    const o = y * (stride + 1);
    for (let i = 0; i < stride; i++) scan[o + 1 + i] = ~r.bits[y * stride + i]! & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(scan, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}
