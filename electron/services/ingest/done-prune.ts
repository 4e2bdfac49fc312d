/**
 * The done folder (`afterImport` = move) keeps each day's taken sources in `done/<yyyy-mm-dd>/`
 * for `sync.retentionDays` whole days, then drops the day. Without this it grew for ever, and a
 * source taken by hard link shares its bytes with the store file: the sync purge of the store name
 * freed no disk while the done name remained.
 *
 * Dropping a done file never loses an image: it is the export's leftover, not the desk's copy. A
 * study not yet safe in the PACS keeps its store file (the same bytes, or its own copy).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';

const DAY_FOLDER = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The `done/` subfolder name for a local date, as the pipeline writes it. */
export function doneDayName(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * Removes the day folders of `doneDir` more than `keepDays` local days before `now`. Other names
 * are not the pipeline's and stay. Returns the folders removed.
 */
export async function pruneDone(doneDir: string, now: number, keepDays: number): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(doneDir);
  } catch {
    return [];
  }
  const today = new Date(now);
  // Local midnight `keepDays` days back: a day folder dated before it has had its full term.
  const cutoff = new Date(today.getFullYear(), today.getMonth(), today.getDate() - keepDays).getTime();
  const removed: string[] = [];
  for (const name of names) {
    const m = DAY_FOLDER.exec(name);
    if (!m) continue;
    const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
    if (day >= cutoff) continue;
    await fsp.rm(path.join(doneDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
