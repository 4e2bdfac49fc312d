/**
 * libjpeg-turbo's command-line tools (Debian `libjpeg-turbo-progs`) as independent parts for the
 * progressive-JPEG tests: `cjpeg` makes a baseline JPEG from generated pixels, `djpeg` decodes any
 * JPEG to PNM so two images can be compared pixel for pixel, and `jpegtran` is what the server runs.
 * With REQUIRE_REAL_PARTS=1 a missing tool fails the test instead of skipping it.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { requirePart } from '../../../test/support/real-parts';

/** The executable's full path when `name` is on PATH. */
export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

export function haveJpegTools(): boolean {
  return requirePart('libjpeg-turbo tools (jpegtran, djpeg, cjpeg)', ['jpegtran', 'djpeg', 'cjpeg'].every((t) => onPath(t) !== null), 'apt-get install libjpeg-turbo-progs');
}

/** A binary PGM (P5) of gradients plus noise, so the DCT has real work in every block. */
export function grayPgm(width: number, height: number): Buffer {
  const noise = randomBytes(width * height);
  const px = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) px[y * width + x] = ((x * 255) / width + (y * 128) / height + ((noise[y * width + x] as number) & 0x1f)) & 0xff;
  }
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), px]);
}

/** A baseline (SOF0) JPEG of `pnm`. */
export function cjpegBaseline(pnm: Buffer, quality = 85): Buffer {
  return execFileSync('cjpeg', ['-quality', String(quality), '-baseline'], { input: pnm, maxBuffer: 1 << 26 });
}

/** The decoded pixels as PNM (header + samples). */
export function djpeg(jpeg: Buffer): Buffer {
  return execFileSync('djpeg', ['-pnm'], { input: jpeg, maxBuffer: 1 << 28 });
}
