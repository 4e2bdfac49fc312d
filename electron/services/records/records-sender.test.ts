import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { manualClock } from '../clock';
import { memoryLogger } from '../logger';
import { enqueueRecord, recordStatus } from './records-outbox';
import { createRecordsSender, type Timers } from './records-sender';
import { tempDir } from '../../../test/support/temp-dir';

type Answer = (body: { records: { id: string }[] }) => Response | Promise<Response>;

/** A fetch that answers as the test says (an injected fault or a per-record answer) and counts calls. */
function fakeFetch(answer: Answer) {
  const calls: { url: string; auth: string | null; ids: string[] }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { records: { id: string }[] };
    calls.push({ url, auth: new Headers(init.headers).get('authorization'), ids: body.records.map((r) => r.id) });
    return answer(body);
  }) as unknown as typeof fetch;
  return { f, calls };
}
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'content-type': 'application/json' } });
const allStored: Answer = (b) => json({ results: b.records.map((r) => ({ id: r.id, status: 'stored' })) });

describe('records sender', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  const clock = manualClock();
  const target = { url: 'http://server.test/', apiKey: 'rdk_key' };

  beforeEach(() => {
    dir = tempDir('records-sender-');
    db = openDatabase(`${dir.path}/desk.sqlite`);
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  const enqueue = (n: number) => Array.from({ length: n }, (_, i) => enqueueRecord(db, clock, 'audit', { seq: i + 1 }));

  it('posts ready records in batches with the API key and marks each by the server’s answer for its id', async () => {
    const [a, b, c, d] = enqueue(4);
    const { f, calls } = fakeFetch(() =>
      json({ results: [{ id: a, status: 'stored' }, { id: b, status: 'duplicate' }, { id: c, status: 'rejected', error: 'payload.seq: bad' }] }),
    );
    const sender = createRecordsSender({ db, clock, logger: memoryLogger(), target: () => target, fetch: f, randomInt: () => 0 });
    const r = await sender.runOnce();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: 'http://server.test/api/records', auth: 'Bearer rdk_key', ids: [a, b, c, d] });
    expect(recordStatus(db, a!)?.status).toBe('delivered');
    expect(recordStatus(db, b!)?.status).toBe('delivered');
    expect(recordStatus(db, c!)?.status).toBe('rejected');
    // no answer for d: it stays pending and waits for the backoff
    expect(recordStatus(db, d!)?.status).toBe('pending');
    expect(r).toMatchObject({ delivered: 2, rejected: 1, error: 'SERVER_FAILED' });
    const s = sender.state();
    expect(s).toMatchObject({ pending: 1, delivered: 2, rejected: 1 });
    expect(s.lastError?.code).toBe('SERVER_FAILED');
  });

  it('sends everything in one pass, batch after batch', async () => {
    enqueue(250);
    const { f, calls } = fakeFetch(allStored);
    const sender = createRecordsSender({ db, clock, logger: memoryLogger(), target: () => target, fetch: f, batchSize: 100 });
    expect(await sender.runOnce()).toMatchObject({ sent: 250, delivered: 250, error: null });
    expect(calls.map((c) => c.ids.length)).toEqual([100, 100, 50]);
    expect(sender.state()).toMatchObject({ pending: 0, delivered: 250, lastError: null });
  });

  it('keeps everything while the server is down, backs off exponentially to a cap with jitter, and never retries early', async () => {
    enqueue(3);
    let up = false;
    const { f, calls } = fakeFetch((b) => {
      if (!up) throw new TypeError('fetch failed');
      return allStored(b);
    });
    const draws: number[] = [];
    const sender = createRecordsSender({
      db, clock, logger: memoryLogger(), target: () => target, fetch: f,
      baseDelayMs: 1000, maxDelayMs: 16_000,
      randomInt: (max) => {
        draws.push(max);
        return max - 1; // the longest wait the jitter allows
      },
    });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = calls.length;
      expect((await sender.runOnce()).error).toBe('SERVER_UNREACHABLE');
      expect(calls.length).toBe(before + 1);
      // Asking again at once sends nothing: the records wait for their time.
      await sender.runOnce();
      expect(calls.length).toBe(before + 1);
      const next = sender.state();
      expect(next.pending).toBe(3);
      const row = db.prepare('SELECT min(available_at) AS at FROM records_outbox').get() as { at: number };
      waits.push(row.at - clock.now());
      clock.set(row.at);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000, 16_000]);
    // jitter draws in the upper half of each wait: [full/2, full]
    expect(draws.slice(0, 3)).toEqual([501, 1001, 2001]);
    up = true;
    expect(await sender.runOnce()).toMatchObject({ delivered: 3, error: null });
    expect(sender.state().lastError).toBeNull();
  });

  it('treats a refused key as a delivery failure, not a rejection of the records', async () => {
    const [a] = enqueue(1);
    const { f } = fakeFetch(() => json({ error: {} }, 401));
    const sender = createRecordsSender({ db, clock, logger: memoryLogger(), target: () => target, fetch: f });
    expect((await sender.runOnce()).error).toBe('SERVER_AUTH');
    expect(recordStatus(db, a!)?.status).toBe('pending');
  });

  it('does not try without a URL and key, and says why', async () => {
    enqueue(1);
    const { f, calls } = fakeFetch(allStored);
    const sender = createRecordsSender({ db, clock, logger: memoryLogger(), target: () => ({ url: '', apiKey: '' }), fetch: f });
    expect((await sender.runOnce()).error).toBe('SERVER_NOT_CONFIGURED');
    expect(calls).toHaveLength(0);
    expect(sender.state()).toMatchObject({ configured: false, pending: 1 });
  });

  it('schedules its own passes: never sooner than a second, and after a failure only when the backoff ends', async () => {
    enqueue(2);
    const scheduled: { fn: () => void; ms: number }[] = [];
    const timers: Timers = { set: (fn, ms) => scheduled.push({ fn, ms }), clear: () => {} };
    const { f, calls } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const sender = createRecordsSender({ db, clock, logger: memoryLogger(), target: () => target, fetch: f, timers, baseDelayMs: 5000, randomInt: (m) => m - 1 });
    sender.start();
    expect(scheduled.at(-1)?.ms).toBe(1000);
    scheduled.at(-1)!.fn();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    expect(scheduled.at(-1)?.ms).toBe(5000);
    sender.kick(); // a kick during the backoff does not bring the next attempt forward
    expect(scheduled.at(-1)?.ms).toBe(5000);
    await sender.stop();
  });
});
