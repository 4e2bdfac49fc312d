/**
 * "Not still open for writing where the OS can tell" (issue 3).
 *
 * Linux: /proc/<pid>/fd links name every open file, /proc/<pid>/fdinfo gives its open flags;
 * O_WRONLY or O_RDWR means a writer still holds it. One scan answers for a whole batch of
 * candidate files. Processes of other users are invisible without privileges, and a writer on
 * another machine (a network share) is invisible to everyone: there only size+mtime stability
 * protects, which is why both are used.
 *
 * Windows: a copier holds the file without FILE_SHARE_WRITE, so opening it for writing fails
 * with a sharing violation (EBUSY) while the copy runs. Access denied (EPERM/EACCES) is not a
 * writer: it is the read-only attribute (modalities and CD imports set it) or an access list, and
 * counting it as busy kept such a file waiting for ever. Stability of size and mtime still holds
 * it back while it changes; the pipeline then reads it, or says why it cannot.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';

export type OpenWritersProbe = (paths: readonly string[]) => Promise<Set<string>>;

async function linuxProbe(paths: readonly string[]): Promise<Set<string>> {
  const wanted = new Map<string, string>();
  for (const p of paths) {
    try {
      wanted.set(await fsp.realpath(p), p);
    } catch {
      // vanished: nothing holds it
    }
  }
  const busy = new Set<string>();
  if (wanted.size === 0) return busy;
  let pids: string[];
  try {
    pids = (await fsp.readdir('/proc')).filter((d) => /^\d+$/.test(d));
  } catch {
    return busy;
  }
  await Promise.all(
    pids.map(async (pid) => {
      let fds: string[];
      try {
        fds = await fsp.readdir(`/proc/${pid}/fd`);
      } catch {
        return;
      }
      for (const fd of fds) {
        let target: string;
        try {
          target = await fsp.readlink(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const original = wanted.get(target);
        if (original === undefined || busy.has(original)) continue;
        try {
          const info = await fsp.readFile(`/proc/${pid}/fdinfo/${fd}`, 'latin1');
          const flags = Number.parseInt(/flags:\s*([0-7]+)/.exec(info)?.[1] ?? '0', 8);
          if ((flags & 0o3) !== 0) busy.add(original);
        } catch {
          // the fd closed meanwhile
        }
      }
    }),
  );
  return busy;
}

async function windowsProbe(paths: readonly string[]): Promise<Set<string>> {
  const busy = new Set<string>();
  for (const p of paths) {
    try {
      const h = await fsp.open(p, fs.constants.O_RDWR);
      await h.close();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EBUSY') busy.add(p);
    }
  }
  return busy;
}

export function platformOpenWritersProbe(platform: NodeJS.Platform = process.platform): OpenWritersProbe {
  if (platform === 'linux') return linuxProbe;
  if (platform === 'win32') return windowsProbe;
  return async () => new Set();
}
