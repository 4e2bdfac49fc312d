/**
 * Samples → a small 8-bit grey PNG. The grey levels follow the display pipeline of PS3.3 §C.11:
 * modality rescale, then the file's VOI window (first Window Center/Width), or — when the file has
 * none — the 1st to 99th percentile of the picture, so collimator edges do not wash it out.
 * MONOCHROME1 is inverted (bright = low value). Colour is shown as its luminance.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { PixelModule } from './pixel-module';
import { THUMB_SIZE, type Samples } from './decode-frame';

export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function thumbnailOf(m: PixelModule, s: Samples, maxSide = THUMB_SIZE): GreyImage {
  const scale = Math.min(1, maxSide / Math.max(s.width, s.height));
  const width = Math.max(1, Math.round(s.width * scale));
  const height = Math.max(1, Math.round(s.height * scale));
  const values = new Float64Array(width * height);
  const c = s.components;
  // A box average of at most 4×4 source pixels per thumbnail pixel: smooth, and bounded in cost.
  const boxW = s.width / width;
  const boxH = s.height / height;
  const steps = 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let j = 0; j < steps; j++) {
        const sy = Math.min(s.height - 1, Math.floor(y * boxH + ((j + 0.5) * boxH) / steps));
        for (let i = 0; i < steps; i++) {
          const sx = Math.min(s.width - 1, Math.floor(x * boxW + ((i + 0.5) * boxW) / steps));
          const at = (sy * s.width + sx) * c;
          sum += c === 1 ? s.get(at) : 0.299 * s.get(at) + 0.587 * s.get(at + 1) + 0.114 * s.get(at + 2);
          n++;
        }
      }
      values[y * width + x] = (sum / n) * (c === 1 ? m.rescaleSlope : 1) + (c === 1 ? m.rescaleIntercept : 0);
    }
  }
  let lo: number;
  let hi: number;
  if (c === 1 && m.windowCenter !== null && m.windowWidth !== null && m.windowWidth > 0) {
    lo = m.windowCenter - m.windowWidth / 2;
    hi = m.windowCenter + m.windowWidth / 2;
  } else {
    const sorted = Float64Array.from(values).sort();
    lo = sorted[Math.floor(0.01 * (sorted.length - 1))]!;
    hi = sorted[Math.floor(0.99 * (sorted.length - 1))]!;
  }
  if (hi <= lo) hi = lo + 1;
  const invert = m.photometricInterpretation === 'MONOCHROME1';
  const data = new Uint8Array(width * height);
  for (let i = 0; i < values.length; i++) {
    const g = Math.round(((values[i]! - lo) / (hi - lo)) * 255);
    const v = g < 0 ? 0 : g > 255 ? 255 : g;
    data[i] = invert ? 255 - v : v;
  }
  return { width, height, data };
}

/** A minimal PNG (8-bit greyscale, no filtering): signature, IHDR, IDAT, IEND (PNG spec §11.2). */
export function encodePng(img: GreyImage): Buffer {
  const raw = Buffer.alloc((img.width + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    raw[y * (img.width + 1)] = 0;
    raw.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * (img.width + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.width, 0);
  ihdr.writeUInt32BE(img.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
