/**
 * The few ESC/POS commands the desk speaks, byte for byte (Epson "ESC/POS Command Reference"):
 * the slip travels as one raster image, because no code page a cheap printer offers prints
 * Vietnamese faithfully (see FIELD-NOTES). Bits are packed by our own code (`BitRaster`).
 */
import { PrinterFailure } from './printer-errors';
import { isBlank, rowBytes, type BitRaster } from './bit-raster';
import type { PaperState } from './printer-port';

/** ESC @ — initialise: clears the print buffer and resets modes left by a previous job. */
export const ESC_INIT = Uint8Array.of(0x1b, 0x40);
/** DLE EOT 4 — real-time request for the roll paper sensor status; answered at once. */
export const DLE_EOT_PAPER = Uint8Array.of(0x10, 0x04, 0x04);
/**
 * GS r 1 — transmit paper sensor status. Unlike DLE EOT it is processed in sequence, after all
 * data before it, so its answer after a job proves the printer took the whole job.
 */
export const GS_R_PAPER = Uint8Array.of(0x1d, 0x72, 0x01);
/** GS V 1 — partial cut (the slip stays on a small bridge, so it does not drop to the floor). */
export const GS_V_PARTIAL_CUT = Uint8Array.of(0x1d, 0x56, 0x01);

/**
 * Rows per `GS v 0` command. The command allows up to 2303 rows on Epson TM models (yH ≤ 8), but
 * clones differ; bands of 255 rows keep yH = 0, which every printer we know accepts, and bands
 * print back to back with no gap.
 */
export const MAX_BAND_ROWS = 255;
/** `GS v 0` takes at most 65535 bytes per row (xL + xH × 256); thermal heads are far narrower. */
const MAX_ROW_BYTES = 0xffff;

export interface RasterJobOptions {
  /** Lines fed (ESC d n) after the image so the end of the slip clears the cutter. */
  readonly feedLines?: number;
  readonly cut?: boolean;
  readonly maxBandRows?: number;
}

/**
 * ESC @, the raster in `GS v 0` bands (m = 0, normal size), a feed, a cut. Refuses an image with
 * nothing to print (PRINTER_EMPTY_JOB) before anything could reach a printer.
 */
export function encodeRasterJob(raster: BitRaster, options: RasterJobOptions = {}): Uint8Array {
  const { feedLines = 5, cut = true, maxBandRows = MAX_BAND_ROWS } = options;
  if (raster.width <= 0 || raster.height <= 0 || isBlank(raster)) throw new PrinterFailure('PRINTER_EMPTY_JOB', false);
  const stride = rowBytes(raster.width);
  if (stride > MAX_ROW_BYTES) throw new RangeError(`raster ${raster.width} dots wide is beyond GS v 0`);
  if (raster.bits.length !== stride * raster.height) throw new RangeError('raster bits do not match its size');
  if (!Number.isInteger(maxBandRows) || maxBandRows < 1 || maxBandRows > 2303) throw new RangeError('maxBandRows must be 1–2303');
  if (!Number.isInteger(feedLines) || feedLines < 0 || feedLines > 255) throw new RangeError('feedLines must be 0–255');

  const bands = Math.ceil(raster.height / maxBandRows);
  const size = ESC_INIT.length + bands * 8 + raster.bits.length + (feedLines > 0 ? 3 : 0) + (cut ? GS_V_PARTIAL_CUT.length : 0);
  const out = new Uint8Array(size);
  let o = 0;
  out.set(ESC_INIT, o);
  o += ESC_INIT.length;
  for (let y = 0; y < raster.height; y += maxBandRows) {
    const rows = Math.min(maxBandRows, raster.height - y);
    out.set([0x1d, 0x76, 0x30, 0x00, stride & 0xff, stride >> 8, rows & 0xff, rows >> 8], o);
    o += 8;
    out.set(raster.bits.subarray(y * stride, (y + rows) * stride), o);
    o += rows * stride;
  }
  if (feedLines > 0) {
    out.set([0x1b, 0x64, feedLines], o); // ESC d n — print and feed n lines
    o += 3;
  }
  if (cut) out.set(GS_V_PARTIAL_CUT, o);
  return out;
}

/** A DLE EOT 4 answer: bits 1 and 4 set, bits 0 and 7 clear (`0b0xx1xx10`). */
export function isPaperSensorReply(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** DLE EOT 4: bits 2–3 = near-end sensor, bits 5–6 = roll end sensor (paper not present). */
export function paperFromSensorReply(byte: number): PaperState {
  if (byte & 0x60) return 'out';
  if (byte & 0x0c) return 'near-end';
  return 'ok';
}

/** A GS r 1 answer: bits 4 and 7 clear. */
export function isGsRPaperReply(byte: number): boolean {
  return (byte & 0x90) === 0;
}

/** GS r 1: bits 0–1 = near-end, bits 2–3 = roll end. */
export function paperFromGsRReply(byte: number): PaperState {
  if (byte & 0x0c) return 'out';
  if (byte & 0x03) return 'near-end';
  return 'ok';
}
