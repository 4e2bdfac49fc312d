/**
 * Window / level presets for projection radiographs.
 *
 * CT presets are fixed numbers because CT values are calibrated (Hounsfield units). DX and CR
 * pixel values are not: they depend on the detector, the exposure and the modality's processing
 * (PS3.3 §C.8.11.3 leaves the VOI to the file's own Window Center/Width or VOI LUT). A fixed
 * "bone = 300/1500" would be wrong from one room to the next. So each preset here is placed on the
 * image's own histogram — between its 2nd and 98th percentiles, which ignores collimator blades
 * and burnt-in markers — and keeps the meaning a technician expects:
 *
 *   file        the file's Window Center/Width (PS3.3 §C.11.2), else the full pixel range
 *   chest       the whole useful range at once: lungs, mediastinum and bone all readable
 *   softTissue  contrast spent on the middle of the range (the soft tissue of the body)
 *   bone        contrast spent on the dense (bright) end, for cortex and trabeculae
 *
 * With MONOCHROME1 (bright = low value) the dense end is the low end, so bone mirrors.
 */
export const VOI_PRESET_IDS = ['file', 'chest', 'softTissue', 'bone'] as const;
export type VoiPresetId = (typeof VOI_PRESET_IDS)[number];

export interface Voi {
  readonly center: number;
  readonly width: number;
}

export interface PixelStats {
  readonly p2: number;
  readonly p50: number;
  readonly p98: number;
  readonly min: number;
  readonly max: number;
}

export interface ImageVoiFacts {
  /** First value of Window Center / Width in the file, when present. */
  readonly fileWindow: Voi | null;
  readonly stats: PixelStats;
  /** MONOCHROME1: the dense end of the range is the low one. */
  readonly monochrome1: boolean;
}

/**
 * Percentiles of a pixel array, from a strided sample of at most ~250,000 values: exact enough for
 * a window (a few grey levels) and ~1 ms on a 15 MB image instead of a full sort.
 */
export function pixelStats(pixels: ArrayLike<number>): PixelStats {
  const n = pixels.length;
  if (n === 0) return { p2: 0, p50: 0, p98: 0, min: 0, max: 0 };
  const step = Math.max(1, Math.floor(n / 250_000));
  const sample = new Float64Array(Math.ceil(n / step));
  let k = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i += step) {
    const v = pixels[i]!;
    sample[k++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const s = sample.subarray(0, k).sort();
  const at = (q: number) => s[Math.min(k - 1, Math.max(0, Math.round(q * (k - 1))))]!;
  return { p2: at(0.02), p50: at(0.5), p98: at(0.98), min, max };
}

export function presetVoi(id: VoiPresetId, facts: ImageVoiFacts): Voi {
  const { stats } = facts;
  const lo = stats.p2;
  const hi = stats.p98 > stats.p2 ? stats.p98 : stats.p2 + 1;
  const span = hi - lo;
  switch (id) {
    case 'file':
      return facts.fileWindow ?? { center: (stats.min + stats.max) / 2, width: Math.max(1, stats.max - stats.min) };
    case 'chest':
      return { center: (lo + hi) / 2, width: span * 1.1 };
    case 'softTissue':
      return { center: stats.p50, width: span * 0.5 };
    case 'bone': {
      const dense = facts.monochrome1 ? lo + span * 0.25 : lo + span * 0.75;
      return { center: dense, width: span * 0.5 };
    }
  }
}

/**
 * Cornerstone speaks VOI as a range; the overlay and the presets speak center/width. The linear
 * function of PS3.3 §C.11.2.1.2.1 maps c − 0.5 − (w − 1)/2 to black and c − 0.5 + (w − 1)/2 to
 * white — the same conversion as Cornerstone's `windowLevel` utilities, so a file's 2048/4096
 * reads back as 2048/4096.
 */
export function voiToRange({ center, width }: Voi): { lower: number; upper: number } {
  return { lower: center - 0.5 - (width - 1) / 2, upper: center - 0.5 + (width - 1) / 2 };
}

export function rangeToVoi({ lower, upper }: { lower: number; upper: number }): Voi {
  return { center: (lower + upper + 1) / 2, width: Math.abs(upper - lower) + 1 };
}
