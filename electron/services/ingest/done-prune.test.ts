/**
 * The done folder's days go after `keepDays` whole local days, other names stay, and a done file
 * that shares its inode with a store file (taken by hard link) goes without touching the store's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doneDayName, pruneDone } from './done-prune';

const DAY = 86_400_000;
let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Noon, so adding whole days never crosses a daylight-saving edge into another date. */
const now = new Date(2026, 10, 27, 12, 0, 0).getTime();

describe('pruneDone', () => {
  it('removes day folders older than keepDays whole days and nothing else', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'done-prune-'));
    const days = [0, 1, 7, 8, 30].map((d) => doneDayName(now - d * DAY));
    for (const d of [...days, 'notes', '2026-11']) {
      fs.mkdirSync(path.join(dir, d));
      fs.writeFileSync(path.join(dir, d, '1-IMG.dcm'), 'x');
    }
    const removed = await pruneDone(dir, now, 7);
    expect(removed.sort()).toEqual([days[3], days[4]].sort());
    expect(fs.readdirSync(dir).sort()).toEqual([days[0], days[1], days[2], 'notes', '2026-11'].sort());
  });

  it('drops only the done name of a file the store holds by hard link', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'done-prune-'));
    const store = path.join(dir, 'store.dcm');
    fs.writeFileSync(store, 'image bytes');
    const old = path.join(dir, 'done', doneDayName(now - 9 * DAY));
    fs.mkdirSync(old, { recursive: true });
    fs.linkSync(store, path.join(old, '7-IMG.dcm'));
    expect(await pruneDone(path.join(dir, 'done'), now, 7)).toHaveLength(1);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.readFileSync(store, 'utf8')).toBe('image bytes');
    expect(fs.statSync(store).nlink).toBe(1);
  });

  it('names a day by its local date (yyyy-mm-dd) and tolerates a missing folder', async () => {
    expect(doneDayName(new Date(2026, 0, 5, 23, 59).getTime())).toBe('2026-01-05');
    expect(await pruneDone(path.join(os.tmpdir(), 'no-such-done-folder'), now, 7)).toEqual([]);
  });
});
