/**
 * `npm run web` as a real child process (the same entry point people and our checks use): waits
 * for bridge.json, and stops it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface WebProcess {
  child: ChildProcess;
  url: string;
  token: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startWebProcess(dataDir: string, extraArgs: string[] = []): Promise<WebProcess> {
  const file = join(dataDir, 'bridge.json');
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/web.ts', '--data', dataDir, ...extraArgs], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  // Polls a file the process writes once it listens; bounded so a broken start fails the test.
  for (let i = 0; i < 600 && !existsSync(file); i++) {
    if (child.exitCode !== null) throw new Error(`npm run web exited early:\n${out}`);
    await delay(100);
  }
  if (!existsSync(file)) throw new Error(`bridge.json never appeared:\n${out}`);
  const { url, token } = JSON.parse(readFileSync(file, 'utf8')) as { url: string; token: string };
  return {
    child,
    url,
    token,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
