import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLogger } from '../../../electron/services/logger';
import { tempDir } from '../../../test/support/temp-dir';
import { cjpegBaseline, djpeg, grayPgm, haveJpegTools, onPath } from '../../test/support/jpeg-tools';
import { jpegMarkers, SOF0, SOF2, SOS } from './jpeg-markers';
import { createProgressiveJpeg } from './progressive-jpeg';

describe.skipIf(!haveJpegTools())('progressive JPEG through jpegtran', () => {
  const dir = tempDir('progressive-');
  afterAll(() => dir.remove());
  const pgm = grayPgm(640, 480);
  const baseline = cjpegBaseline(pgm);

  /** An executable standing in for jpegtran, for faults we inject (a hang, a crash, a slow run). */
  function fake(name: string, body: string): string {
    const p = join(dir.path, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  }

  it('starts from a baseline image (SOF0, one scan)', () => {
    const m = jpegMarkers(baseline);
    expect(m).toContain(SOF0);
    expect(m).not.toContain(SOF2);
    expect(m.filter((x) => x === SOS)).toHaveLength(1);
  });

  it('turns it into a progressive JPEG (SOF2, several scans, no SOF0) with the very same pixels', async () => {
    const logger = memoryLogger();
    const out = await createProgressiveJpeg({ logger }).convert(baseline);
    expect(out.progressive).toBe(true);
    const m = jpegMarkers(out.bytes);
    expect(m).toContain(SOF2);
    expect(m).not.toContain(SOF0);
    expect(m.filter((x) => x === SOS).length).toBeGreaterThan(1);
    expect(out.bytes.equals(baseline)).toBe(false);
    expect(djpeg(out.bytes).equals(djpeg(baseline))).toBe(true);
    expect(logger.lines).toEqual([]);
  });

  it('passes an image that is already progressive through without running anything', async () => {
    const logger = memoryLogger();
    const progressive = (await createProgressiveJpeg({ logger }).convert(baseline)).bytes;
    const again = await createProgressiveJpeg({ logger, path: join(dir.path, 'no-such-jpegtran') }).convert(progressive);
    expect(again).toEqual({ bytes: progressive, progressive: true, transient: false });
    expect(logger.lines).toEqual([]);
  });

  it('serves the baseline bytes when jpegtran is missing, logs it once, and stops trying', async () => {
    const logger = memoryLogger();
    const conv = createProgressiveJpeg({ logger, path: join(dir.path, 'no-such-jpegtran') });
    for (let i = 0; i < 3; i++) expect(await conv.convert(baseline)).toEqual({ bytes: baseline, progressive: false, transient: false });
    expect(logger.lines).toHaveLength(1);
    expect(JSON.parse(logger.lines[0] as string)).toMatchObject({ level: 'warn', reason: 'missing' });
  });

  it('serves the baseline when jpegtran fails or the input is damaged, logging each kind once', async () => {
    const logger = memoryLogger();
    const crashing = createProgressiveJpeg({ logger, path: fake('crash', 'cat >/dev/null; echo "boom" >&2; exit 3') });
    expect(await crashing.convert(baseline)).toEqual({ bytes: baseline, progressive: false, transient: false });
    expect(await crashing.convert(baseline)).toMatchObject({ progressive: false });
    expect(logger.lines).toHaveLength(1);
    expect(JSON.parse(logger.lines[0] as string)).toMatchObject({ reason: 'failed', exitCode: 3, detail: 'boom' });

    // The real jpegtran on a truncated file: a warning exit (2), never a broken image for the phone.
    const truncated = baseline.subarray(0, Math.floor(baseline.length / 2));
    expect((await createProgressiveJpeg({ logger }).convert(truncated)).bytes.equals(truncated)).toBe(true);

    // Something that answers 0 but writes a baseline image back is not accepted either.
    const echo = await createProgressiveJpeg({ logger, path: fake('echo', 'exec cat') }).convert(baseline);
    expect(echo).toMatchObject({ progressive: false, transient: false });
    expect(logger.lines.some((l) => l.includes('invalid-output'))).toBe(true);
    expect(logger.lines.join('\n')).not.toMatch(/\b1\.2\.840\b/);
  });

  it('gives up on a hung jpegtran after the timeout, as a passing failure', async () => {
    const logger = memoryLogger();
    const out = await createProgressiveJpeg({ logger, path: fake('hang', 'exec sleep 30'), timeoutMs: 300 }).convert(baseline);
    expect(out).toEqual({ bytes: baseline, progressive: false, transient: true });
    expect(JSON.parse(logger.lines[0] as string)).toMatchObject({ reason: 'timeout' });
  });

  it('runs at most two jpegtran processes at once', async () => {
    const log = join(dir.path, 'runs.log');
    writeFileSync(log, '');
    const jpegtran = onPath('jpegtran') as string;
    const slow = fake('slow', `echo start >> '${log}'\nsleep 0.3\necho end >> '${log}'\nexec '${jpegtran}' "$@"`);
    const conv = createProgressiveJpeg({ logger: memoryLogger(), path: slow, concurrency: 2 });
    const outs = await Promise.all(Array.from({ length: 5 }, () => conv.convert(baseline)));
    expect(outs.every((o) => o.progressive)).toBe(true);
    let active = 0;
    let peak = 0;
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(10);
    for (const l of lines) {
      active += l === 'start' ? 1 : -1;
      peak = Math.max(peak, active);
    }
    expect(peak).toBeLessThanOrEqual(2);
  });
});
