import { describe, expect, it } from 'vitest';
import { encodeRasterJob, isGsRPaperReply, isPaperSensorReply, paperFromGsRReply, paperFromSensorReply } from './escpos';
import { thresholdRgba, getBit, type BitRaster } from './bit-raster';
import { PrinterFailure } from './printer-errors';
import { decodeEscPos } from '../../../test/support/escpos-decoder';

function raster(width: number, height: number, fill: (x: number, y: number) => boolean): BitRaster {
  const stride = Math.ceil(width / 8);
  const bits = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (fill(x, y)) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  return { width, height, bits };
}

describe('encodeRasterJob', () => {
  it('is ESC @, GS v 0 with the packed rows, ESC d, GS V — byte for byte', () => {
    const r = raster(16, 2, (x, y) => x === y);
    expect([...encodeRasterJob(r, { feedLines: 3 })]).toEqual([
      0x1b, 0x40,
      0x1d, 0x76, 0x30, 0x00, 2, 0, 2, 0, 0b1000_0000, 0, 0b0100_0000, 0,
      0x1b, 0x64, 3,
      0x1d, 0x56, 0x01,
    ]);
  });

  it('splits a tall image into bands that stack back exactly', () => {
    const r = raster(384, 1000, (x, y) => (x * 7 + y * 13) % 5 === 0);
    const job = decodeEscPos(encodeRasterJob(r, { maxBandRows: 255 }));
    const bands = job.commands.filter((c) => c.op === 'raster');
    expect(bands.map((b) => (b.op === 'raster' ? b.height : 0))).toEqual([255, 255, 255, 235]);
    expect(Buffer.from(job.raster!.bits).equals(Buffer.from(r.bits))).toBe(true);
  });

  it('refuses an empty or blank image as PRINTER_EMPTY_JOB', () => {
    expect(() => encodeRasterJob({ width: 576, height: 0, bits: new Uint8Array(0) })).toThrow(PrinterFailure);
    expect(() => encodeRasterJob(raster(576, 10, () => false))).toThrow(expect.objectContaining({ code: 'PRINTER_EMPTY_JOB' }));
  });
});

describe('status replies', () => {
  it('reads DLE EOT 4 and GS r 1 paper bits', () => {
    expect([0x12, 0x1e, 0x72].map((b) => [isPaperSensorReply(b), paperFromSensorReply(b)])).toEqual([
      [true, 'ok'],
      [true, 'near-end'],
      [true, 'out'],
    ]);
    expect(isPaperSensorReply(0x10)).toBe(false); // an ASB first byte, not an answer
    expect([0x00, 0x03, 0x0c].map((b) => [isGsRPaperReply(b), paperFromGsRReply(b)])).toEqual([
      [true, 'ok'],
      [true, 'near-end'],
      [true, 'out'],
    ]);
  });
});

describe('thresholdRgba', () => {
  it('is a fixed threshold on luminance over white paper, MSB first', () => {
    const px = [
      [0, 0, 0, 255], // black
      [200, 200, 200, 255], // light grey: white
      [0, 0, 0, 0], // transparent: paper
      [100, 100, 100, 255], // dark grey: black
    ];
    const r = thresholdRgba(Uint8Array.from(px.flat()), 4, 1, 144);
    expect([0, 1, 2, 3].map((x) => getBit(r, x, 0))).toEqual([true, false, false, true]);
    expect(r.bits[0]).toBe(0b1001_0000);
  });
});
