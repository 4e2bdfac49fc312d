/**
 * A real PostgreSQL 15 (Debian package) for integration tests: `initdb` on a temp data folder,
 * `postgres` on a free loopback port, stopped by the postmaster's PID (FIELD-NOTES "PostgreSQL for
 * the clinic server's tests"). PostgreSQL refuses to run as root, so as root both run as the
 * `postgres` user through `runuser`; as any other user they run directly.
 *
 * Tuned for tests, not durability: fsync and synchronous_commit off, trust authentication on
 * loopback only, Unix socket in the temp folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { requirePart } from './real-parts';
import { freePort } from './orthanc';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const RUNUSER = '/usr/sbin/runuser';

export interface PostgresHandle {
  /** Connection string of the default `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** The postmaster's PID. */
  readonly pid: number;
  /** A fresh, empty database; returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const asRoot = () => process.getuid?.() === 0;

export function postgresInstalled(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'postgres')) && (!asRoot() || existsSync(RUNUSER));
}

/** For `describe.skipIf(!havePostgres())`: with REQUIRE_REAL_PARTS=1 a missing PostgreSQL fails. */
export function havePostgres(): boolean {
  return requirePart('PostgreSQL 15', postgresInstalled(), 'apt-get install postgresql');
}

function command(bin: string, args: string[]): [string, string[]] {
  return asRoot() ? [RUNUSER, ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`PostgreSQL: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPostgres(): Promise<PostgresHandle> {
  if (!postgresInstalled()) throw new Error(`PostgreSQL binaries not found under ${PG_BIN}`);
  const root = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const data = join(root, 'data');
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
  }
  try {
    const [initBin, initArgs] = command('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    execFileSync(initBin, initArgs, { stdio: 'pipe', cwd: root });
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}`, { cause: e });
  }

  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const [bin, args] = command('postgres', [
      '-D', data, '-p', String(port), '-k', root,
      '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ]);
    const child: ChildProcess = spawn(bin, args, { stdio: 'ignore', cwd: root });
    let exited = false;
    child.once('exit', () => (exited = true));
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    try {
      await waitFor('the server to accept connections', 30_000, async () => {
        if (exited) throw new Error('postgres exited');
        const c = new pg.Client({ connectionString: url });
        try {
          await c.connect();
          await c.query('SELECT 1');
          return true;
        } catch {
          return null;
        } finally {
          await c.end().catch(() => {});
        }
      });
    } catch (e) {
      child.kill('SIGKILL');
      if (attempt < 3) continue;
      rmSync(root, { recursive: true, force: true });
      throw e;
    }
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return {
      url,
      port,
      pid,
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE ${name}`);
        } finally {
          await c.end();
        }
        return `postgresql://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        // SIGINT = fast shutdown: roll back open transactions, disconnect clients, stop.
        if (alive(pid)) process.kill(pid, 'SIGINT');
        await waitFor('the postmaster to exit', 30_000, async () => (alive(pid) ? null : true)).catch(() => {
          if (alive(pid)) process.kill(pid, 'SIGKILL');
        });
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
}
