/**
 * Reads ESC/POS bytes back the way a printer would, for the commands the desk sends (Epson
 * "ESC/POS Command Reference"): ESC @, GS v 0 raster bands, ESC d, GS V, DLE EOT, GS r. Bands are
 * stacked back into one bitmap, so a test can compare what reached the "printer" with what was
 * drawn, bit for bit. Anything else is reported as `unknown` rather than skipped silently.
 */
import type { BitRaster } from '../../electron/services/printer/bit-raster';

export type EscPosCommand =
  | { op: 'init' }
  | { op: 'raster'; mode: number; widthBytes: number; height: number; data: Uint8Array }
  | { op: 'feed'; lines: number }
  | { op: 'cut'; m: number; n: number | null }
  | { op: 'status-realtime'; n: number }
  | { op: 'status-gs-r'; n: number }
  | { op: 'unknown'; byte: number };

/** The command starting at `at`, and where the next one starts; null when more bytes are needed. */
export function parseNext(buf: Uint8Array, at: number): { cmd: EscPosCommand; end: number } | null {
  const b = (i: number) => buf[at + i];
  const need = (n: number) => at + n <= buf.length;
  const first = b(0);
  if (first === undefined) return null;
  if (first === 0x1b) {
    if (!need(2)) return null;
    if (b(1) === 0x40) return { cmd: { op: 'init' }, end: at + 2 };
    if (b(1) === 0x64) return need(3) ? { cmd: { op: 'feed', lines: b(2)! }, end: at + 3 } : null;
  } else if (first === 0x1d) {
    if (!need(2)) return null;
    if (b(1) === 0x76) {
      if (!need(8)) return null;
      if (b(2) !== 0x30) return { cmd: { op: 'unknown', byte: first }, end: at + 1 };
      const widthBytes = b(4)! | (b(5)! << 8);
      const height = b(6)! | (b(7)! << 8);
      const size = widthBytes * height;
      if (!need(8 + size)) return null;
      return { cmd: { op: 'raster', mode: b(3)!, widthBytes, height, data: buf.slice(at + 8, at + 8 + size) }, end: at + 8 + size };
    }
    if (b(1) === 0x56) {
      if (!need(3)) return null;
      const m = b(2)!;
      if (m === 65 || m === 66) return need(4) ? { cmd: { op: 'cut', m, n: b(3)! }, end: at + 4 } : null;
      return { cmd: { op: 'cut', m, n: null }, end: at + 3 };
    }
    if (b(1) === 0x72) return need(3) ? { cmd: { op: 'status-gs-r', n: b(2)! }, end: at + 3 } : null;
  } else if (first === 0x10) {
    if (!need(2)) return null;
    if (b(1) === 0x04) return need(3) ? { cmd: { op: 'status-realtime', n: b(2)! }, end: at + 3 } : null;
  }
  return { cmd: { op: 'unknown', byte: first }, end: at + 1 };
}

export interface DecodedJob {
  readonly commands: readonly EscPosCommand[];
  /** All raster bands stacked top to bottom, or null when the job had none. */
  readonly raster: BitRaster | null;
  /** Bytes at the end that did not make a whole command. */
  readonly trailing: number;
}

export function decodeEscPos(buf: Uint8Array): DecodedJob {
  const commands: EscPosCommand[] = [];
  let at = 0;
  for (let next = parseNext(buf, at); next; next = parseNext(buf, at)) {
    commands.push(next.cmd);
    at = next.end;
  }
  const bands = commands.filter((c): c is Extract<EscPosCommand, { op: 'raster' }> => c.op === 'raster');
  let raster: BitRaster | null = null;
  if (bands.length > 0) {
    const widthBytes = bands[0]!.widthBytes;
    if (bands.some((band) => band.widthBytes !== widthBytes)) throw new Error('raster bands of different widths');
    const height = bands.reduce((h, band) => h + band.height, 0);
    const bits = new Uint8Array(widthBytes * height);
    let o = 0;
    for (const band of bands) {
      bits.set(band.data, o);
      o += band.data.length;
    }
    raster = { width: widthBytes * 8, height, bits };
  }
  return { commands, raster, trailing: buf.length - at };
}
