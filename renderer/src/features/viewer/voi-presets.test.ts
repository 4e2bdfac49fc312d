import { describe, expect, it } from 'vitest';
import { pixelStats, presetVoi, rangeToVoi, voiToRange, type ImageVoiFacts } from './voi-presets';

function ramp(n: number, lo: number, hi: number): Uint16Array {
  return Uint16Array.from({ length: n }, (_, i) => lo + Math.round(((hi - lo) * i) / (n - 1)));
}

describe('window/level presets', () => {
  const stats = pixelStats(ramp(1_000_000, 1000, 3000));
  const facts: ImageVoiFacts = { fileWindow: { center: 2048, width: 4096 }, stats, monochrome1: false };

  it('reads percentiles from a sample', () => {
    expect(stats.min).toBe(1000);
    expect(stats.max).toBe(3000);
    expect(stats.p2).toBeCloseTo(1040, -1);
    expect(stats.p50).toBeCloseTo(2000, -1);
    expect(stats.p98).toBeCloseTo(2960, -1);
  });

  it('uses the file window for "file", the full range when the file has none', () => {
    expect(presetVoi('file', facts)).toEqual({ center: 2048, width: 4096 });
    expect(presetVoi('file', { ...facts, fileWindow: null })).toEqual({ center: 2000, width: 2000 });
  });

  it('spends contrast where each preset promises', () => {
    const chest = presetVoi('chest', facts);
    const soft = presetVoi('softTissue', facts);
    const bone = presetVoi('bone', facts);
    expect(chest.width).toBeGreaterThan(soft.width);
    expect(bone.center).toBeGreaterThan(soft.center);
    const boneM1 = presetVoi('bone', { ...facts, monochrome1: true });
    expect(boneM1.center).toBeLessThan(soft.center);
  });

  it('converts between center/width and Cornerstone’s range as PS3.3 C.11.2.1.2.1 does', () => {
    expect(voiToRange({ center: 2048, width: 4096 })).toEqual({ lower: 0, upper: 4095 });
    expect(rangeToVoi({ lower: 0, upper: 4095 })).toEqual({ center: 2048, width: 4096 });
    expect(rangeToVoi(voiToRange({ center: 40, width: 400 }))).toEqual({ center: 40, width: 400 });
  });
});
