/**
 * The marker codes of a JPEG stream, in order (ITU-T T.81 §B.1.1.2–B.1.1.4): enough to tell a
 * baseline image (SOF0, 0xFFC0) from a progressive one (SOF2, 0xFFC2, several SOS scans) without
 * decoding it. A byte search would be fooled by a marker-like pair inside an APPn segment (an EXIF
 * thumbnail is a whole JPEG); walking the segments is not. Inside entropy-coded data a 0xFF is
 * followed by 0x00 (stuffing, §F.1.2.3) or RSTn, which are skipped.
 */

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;
/** Baseline DCT, Huffman. */
export const SOF0 = 0xc0;
/** Extended sequential DCT, Huffman. */
export const SOF1 = 0xc1;
/** Progressive DCT, Huffman. */
export const SOF2 = 0xc2;

const isRst = (m: number) => m >= 0xd0 && m <= 0xd7;

/** Marker codes (the byte after 0xFF) from SOI to EOI; stops early at malformed framing. */
export function jpegMarkers(b: Uint8Array): number[] {
  const out: number[] = [];
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) return out;
  out.push(SOI);
  let i = 2;
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) return out;
    let m = b[i + 1] as number;
    // Fill bytes: any number of 0xFF may precede a marker (§B.1.1.2).
    while (m === 0xff && i + 2 < b.length) {
      i++;
      m = b[i + 1] as number;
    }
    out.push(m);
    if (m === EOI) return out;
    if (i + 3 >= b.length) return out;
    const len = ((b[i + 2] as number) << 8) | (b[i + 3] as number);
    if (len < 2) return out;
    i += 2 + len;
    if (m === SOS) {
      // Entropy-coded data runs to the next marker that is neither stuffing nor a restart.
      while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !isRst(b[i + 1] as number))) i++;
    }
  }
  return out;
}

export function isProgressiveJpeg(b: Uint8Array): boolean {
  return jpegMarkers(b).includes(SOF2);
}
