/**
 * The desk's records sender against the real server process (`tsx server/src/cli.ts`, as
 * `npm run server` runs it) on the embedded PGlite store: a desk enrolled through the CLI, records
 * enqueued in the desk's real SQLite, delivery, the server going away and coming back on the same
 * data folder, and a lost acknowledgement (the same records sent again change nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { manualClock } from '../../electron/services/clock';
import { memoryLogger } from '../../electron/services/logger';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { enqueueRecord, recordStatus } from '../../electron/services/records/records-outbox';
import { createRecordsSender, type RecordsSender } from '../../electron/services/records/records-sender';
import { createRecordsHandlers } from '../../electron/services/records/handlers';
import { createAuditLog } from '../../electron/services/audit/audit-log';
import { tempDir } from '../../test/support/temp-dir';
import { auditRecord, filmRecord, newToken, revocationRecord, slipRecord, tokenHash } from './support/fixtures';
import { openToken } from './support/test-server';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = join(ROOT, 'server', 'src', 'cli.ts');
const run = promisify(execFile);

interface Proc {
  child: ChildProcess;
  url: string;
  output: () => string;
}

describe('desk records sender → clinic server process', () => {
  const dir = tempDir('desk-sender-');
  const env = { ...process.env, SERVER_DATA_DIR: join(dir.path, 'server'), PORT: '0', HOST: '127.0.0.1', PUBLIC_BASE_URL: 'http://127.0.0.1:1' };
  const cli = (...args: string[]) => run(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, env });
  const logs: string[] = [];
  let db: Db;
  let server: Proc | null = null;
  let apiKey = '';
  let url = '';
  const clock = manualClock();
  const seen: { results: { id: string; status: string }[] }[] = [];
  let sender: RecordsSender;

  async function startServer(): Promise<Proc> {
    const child = spawn(process.execPath, [TSX, CLI], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const started = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 60_000);
      const check = () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m[1] as string);
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => rej(new Error(`server exited ${code}:\n${out}`)));
    });
    return { child, url: started, output: () => out };
  }

  async function stopServer(): Promise<void> {
    if (!server) return;
    const { child } = server;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    logs.push(server.output());
    server = null;
  }

  beforeAll(async () => {
    const enrolled = await cli('enrol-desk', 'Bàn chụp X-quang 1');
    apiKey = /^(rdk_[A-Za-z0-9_-]{43})$/m.exec(enrolled.stdout)?.[1] ?? '';
    expect(apiKey).not.toBe('');
    expect((await cli('create-admin', 'khnv', 'mật khẩu rất dài')).stdout).toContain('Admin "khnv" created.');
    server = await startServer();
    url = server.url;
    db = openDatabase(join(dir.path, 'desk.sqlite'));
    const spy = (async (input: string, init: RequestInit) => {
      const res = await fetch(input, init);
      if (res.ok && init.method === 'POST') seen.push((await res.clone().json()) as (typeof seen)[number]);
      return res;
    }) as unknown as typeof fetch;
    sender = createRecordsSender({ db, clock, audit: createAuditLog(db, clock, 'desk-1'), logger: memoryLogger(), target: () => ({ url: server?.url ?? url, apiKey }), fetch: spy, baseDelayMs: 2000 });
  }, 120_000);

  afterAll(async () => {
    await stopServer();
    db?.close();
    dir.remove();
  });

  const token = newToken();

  it('refuses a second process on the same PGlite folder while the server runs', async () => {
    await expect(cli('enrol-desk', 'Bàn 2')).rejects.toMatchObject({ stderr: expect.stringMatching(/in use by process \d+/) });
  });

  it('delivers slips, film records and audit records, and the slip opens the result page', async () => {
    const slip = slipRecord(token);
    const film = filmRecord();
    const audit = auditRecord(1, clock.now());
    db.transaction(() => {
      enqueueRecord(db, clock, 'slip', slip.payload, slip.id);
      enqueueRecord(db, clock, 'film-exception', film.payload, film.id);
      enqueueRecord(db, clock, 'audit', audit.payload, audit.id);
    })();
    expect(await sender.runOnce()).toMatchObject({ sent: 3, delivered: 3, rejected: 0, error: null });
    expect(recordStatus(db, slip.id)?.status).toBe('delivered');
    expect((await openToken(url, token)).res.status).toBe(303);
  });

  it('keeps records while the server is down, without retrying early, and delivers them when it is back', async () => {
    await stopServer();
    const rev = revocationRecord(token, clock.now());
    enqueueRecord(db, clock, 'token-revocation', rev.payload, rev.id);
    const handlers = createRecordsHandlers({ db, sender });
    const ctx = {} as never;

    expect((await sender.runOnce()).error).toBe('SERVER_UNREACHABLE');
    expect(recordStatus(db, rev.id)?.status).toBe('pending');
    const status = await handlers['records.status']({}, ctx);
    expect(status).toMatchObject({ configured: true, pending: 1, delivered: 3, lastError: { code: 'SERVER_UNREACHABLE' } });
    expect(status.lastError?.message).toMatch(/Không kết nối được máy chủ phòng khám \/ Cannot reach the clinic server/);
    const attempts = () => (db.prepare('SELECT attempts FROM records_outbox WHERE id = ?').get(rev.id) as { attempts: number }).attempts;
    expect(attempts()).toBe(1);
    await sender.runOnce(); // too early: nothing is sent
    expect(attempts()).toBe(1);

    server = await startServer();
    url = server.url;
    clock.advance(5000);
    expect(await sender.runOnce()).toMatchObject({ delivered: 1, error: null });
    expect((await openToken(url, token)).res.status).toBe(404);
    const list = await handlers['records.list']({ limit: 10 }, ctx);
    expect(list.items.map((i) => i.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  }, 120_000);

  it('sends everything again after a lost acknowledgement, and the server stores nothing twice', async () => {
    db.prepare(`UPDATE records_outbox SET status = 'pending', delivered_at = NULL`).run();
    seen.length = 0;
    expect(await sender.runOnce()).toMatchObject({ delivered: 4, error: null });
    expect(seen.flatMap((s) => s.results.map((r) => r.status))).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
  });

  it('never logged the token or its hash in the server process output', async () => {
    await stopServer();
    const all = logs.join('\n');
    expect(all).toContain('"route":"/r/:token"');
    expect(all).not.toContain(token);
    expect(all).not.toContain(tokenHash(token));
    expect(all).not.toContain(apiKey);
  });
});
