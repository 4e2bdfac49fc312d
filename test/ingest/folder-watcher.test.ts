/**
 * File-system events are a hint: with every chokidar event lost (an injected fault — the startup
 * race, an inotify overflow, a share that drops notifications), the folder listing still finds the
 * file and hands it over once, and never again while it stays in the folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFolderWatcher, type FolderWatcher } from '../../electron/services/ingest/folder-watcher';
import { platformOpenWritersProbe } from '../../electron/services/ingest/open-writers';
import { silentLogger } from '../../electron/services/logger';
import { tempDir } from '../support/temp-dir';

async function until(cond: () => boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe('folder watcher without events', () => {
  let w: FolderWatcher | null = null;
  let dir: ReturnType<typeof tempDir> | null = null;
  afterEach(async () => {
    await w?.stop();
    dir?.remove();
  });

  /** Starts on a fresh folder; `before` puts files in it first. */
  function start(rescanMs: number, stable: string[], before: (folder: string) => void = () => {}): Promise<void> {
    dir = tempDir('raddesk-watch-');
    before(dir.path);
    w = createFolderWatcher({
      folders: [dir.path],
      usePolling: false,
      stableMs: 100,
      excluded: [],
      probe: platformOpenWritersProbe(),
      logger: silentLogger,
      rescanMs,
      loseEvent: () => true,
      onStable: (file) => stable.push(file),
    });
    return w.start();
  }

  it('takes a file present at start and one written later, each once, from the folder listing alone', async () => {
    const stable: string[] = [];
    await start(150, stable, (folder) => fs.writeFileSync(path.join(folder, 'early.dcm'), 'x'));
    const sub = path.join(dir!.path, 'study', 'series');
    fs.mkdirSync(sub, { recursive: true });
    const late = path.join(sub, 'late.dcm');
    fs.writeFileSync(late, 'y');
    fs.mkdirSync(path.join(dir!.path, '.hidden'));
    fs.writeFileSync(path.join(dir!.path, '.hidden', 'skip.dcm'), 'z');
    fs.writeFileSync(path.join(dir!.path, 'copying.part'), 'z');

    await until(() => stable.length >= 2, 10_000);
    // Several more listings pass: the files are still in the folder, and are not handed over again.
    await new Promise((r) => setTimeout(r, 600));
    expect(stable.sort()).toEqual([path.join(dir!.path, 'early.dcm'), late].sort());
  });

  it('takes a new file under a reused name, once, though no event announced it', async () => {
    const stable: string[] = [];
    await start(150, stable);
    const f = path.join(dir!.path, 'IMG0001.dcm');
    fs.writeFileSync(f, 'first study');
    await until(() => stable.length === 1, 10_000);
    // The modality writes its next image under the same name after the first one was taken away.
    fs.rmSync(f);
    fs.writeFileSync(f, 'second study, other bytes');
    await until(() => stable.length === 2, 10_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(stable).toEqual([f, f]);
  });

  it('stopped while starting: start() returns, and nothing is watched or taken afterwards', async () => {
    const stable: string[] = [];
    const starting = start(100, stable, (folder) => fs.writeFileSync(path.join(folder, 'before.dcm'), 'x'));
    await w!.stop();
    await starting;
    fs.writeFileSync(path.join(dir!.path, 'after.dcm'), 'y');
    await new Promise((r) => setTimeout(r, 600));
    expect(stable).toEqual([]);
  });
});
