import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { openDatabase, type Db } from '../store/database';
import { manualClock } from '../clock';
import { memoryLogger } from '../logger';
import { enqueueRecord, recordStatus } from './records-outbox';
import { createRecordsSender, type Timers } from './records-sender';
import { SERVER_REVOKE_ACTION } from './revocation-pull';
import { createAuditLog, type AuditLog } from '../audit/audit-log';
import { insertSlip } from '../slips/slip-store';
import type { SlipRecord } from '../../../shared/contract/slips';
import type { ServerRevocation } from '../../../shared/records';
import { tempDir } from '../../../test/support/temp-dir';

type Answer = (body: { records: { id: string }[] }) => Response | Promise<Response>;
type Feed = (after: number) => Response | Promise<Response>;

const emptyFeed: Feed = (after) => json({ revocations: [], cursor: after, more: false });

/**
 * A fetch that answers as the test says (an injected fault or a per-record answer) and counts
 * calls; `GET …/api/revocations` goes to `feed`, and each pull's `after` is kept in `pulls`.
 */
function fakeFetch(answer: Answer, feed: Feed = emptyFeed) {
  const calls: { url: string; auth: string | null; ids: string[] }[] = [];
  const pulls: { after: number; auth: string | null }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    if (new URL(url).pathname === '/api/revocations') {
      const after = Number(new URL(url).searchParams.get('after'));
      pulls.push({ after, auth: new Headers(init.headers).get('authorization') });
      return feed(after);
    }
    const body = JSON.parse(String(init.body)) as { records: { id: string }[] };
    calls.push({ url, auth: new Headers(init.headers).get('authorization'), ids: body.records.map((r) => r.id) });
    return answer(body);
  }) as unknown as typeof fetch;
  return { f, calls, pulls };
}
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'content-type': 'application/json' } });
const allStored: Answer = (b) => json({ results: b.records.map((r) => ({ id: r.id, status: 'stored' })) });

describe('records sender', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let audit: AuditLog;
  const clock = manualClock();
  const target = { url: 'http://server.test/', apiKey: 'rdk_key' };

  beforeEach(() => {
    dir = tempDir('records-sender-');
    db = openDatabase(`${dir.path}/desk.sqlite`);
    audit = createAuditLog(db, clock, 'desk-1');
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
    const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f, randomInt: () => 0 });
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
    const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f, batchSize: 100 });
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
      db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f,
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
    const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f });
    expect((await sender.runOnce()).error).toBe('SERVER_AUTH');
    expect(recordStatus(db, a!)?.status).toBe('pending');
  });

  it('does not try without a URL and key, and says why', async () => {
    enqueue(1);
    const { f, calls } = fakeFetch(allStored);
    const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => ({ url: '', apiKey: '' }), fetch: f });
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
    const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f, timers, baseDelayMs: 5000, randomInt: (m) => m - 1 });
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
  describe('revocations made on the server', () => {
    /** A visit and an active slip for it, created as the slips capability does (slip record enqueued). */
    function slip(patientID: string): { slipId: string; tokenHash: string } {
      const visitId = randomUUID();
      db.prepare(
        `INSERT INTO visits (id, visit_number, source, patient_id, patient_name, birth_date, sex, study_instance_uid, procedure_name, scheduled_at, created_at, updated_at)
         VALUES (?, ?, 'worklist', ?, 'NGUYỄN VĂN ẤN', '19850312', 'M', '', 'X-quang ngực thẳng', 0, 0, 0)`,
      ).run(visitId, `KB-${patientID}`, patientID);
      const tokenHash = createHash('sha256').update(randomUUID()).digest('hex');
      const record: SlipRecord = {
        slipId: randomUUID(), tokenHash, visitId, visitNumber: `KB-${patientID}`, patient: { name: 'NGUYỄN VĂN ẤN', birthYear: '1985', sex: 'M' },
        exams: ['X-quang ngực thẳng'], studyInstanceUIDs: [], revision: 0, issuedAt: clock.now(), expiresAt: clock.now() + 86_400_000 * 365,
        requireBirthYear: false, clinicName: 'PK', status: 'active', lookupCode: randomUUID().slice(0, 8).toUpperCase(), replaces: null,
      };
      db.transaction(() => insertSlip(db, clock, record, 'op-1'))();
      return { slipId: record.slipId, tokenHash };
    }
    const revocation = (seq: number, tokenHash: string, slipId = 'x'): ServerRevocation => ({ seq, slipId, tokenHash, revokedAt: 1_700_000_000_000 + seq, reason: 'Người bệnh báo mất phiếu', revokedBy: 'khnv' });
    const slipRow = (id: string) => db.prepare('SELECT status, revoked_at, revoke_reason, revoke_source FROM slips WHERE id = ?').get(id) as Record<string, unknown>;
    const serverAudits = () => audit.list({ limit: 100, action: SERVER_REVOKE_ACTION });

    it('pulls after a push, marks the slip revoked, audits it once, keeps the cursor, and sends nothing back', async () => {
      const a = slip('BN001');
      const b = slip('BN002');
      const unknownHash = 'e'.repeat(64);
      let listed: ServerRevocation[] = [revocation(5, a.tokenHash, a.slipId), revocation(7, unknownHash)];
      const { f, pulls } = fakeFetch(allStored, (after) => {
        const page = listed.filter((r) => r.seq > after);
        return json({ revocations: page, cursor: page.at(-1)?.seq ?? after, more: false });
      });
      const logger = memoryLogger();
      const sender = createRecordsSender({ db, clock, audit, logger, target: () => target, fetch: f });
      expect(await sender.runOnce()).toMatchObject({ sent: 2, error: null, revoked: 1, pullError: null });
      expect(pulls).toEqual([{ after: 0, auth: 'Bearer rdk_key' }]);
      expect(slipRow(a.slipId)).toEqual({ status: 'revoked', revoked_at: 1_700_000_000_005, revoke_reason: 'Thu hồi trên máy chủ / Revoked on the server (khnv): Người bệnh báo mất phiếu', revoke_source: 'server-admin' });
      expect(slipRow(b.slipId)).toMatchObject({ status: 'active', revoke_source: null });
      const audits = serverAudits();
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ outcome: 'ok', operatorId: null, patientID: 'BN001', detail: { slipId: a.slipId, tokenHash: a.tokenHash.slice(0, 8), revokedBy: 'khnv', serverSeq: 5 } });
      expect(JSON.stringify(audits)).not.toContain(a.tokenHash);
      // The server already has the revocation: no token-revocation record goes back to it.
      expect(db.prepare(`SELECT count(*) AS n FROM records_outbox WHERE kind = 'token-revocation'`).get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT value FROM records_cursors').all()).toEqual([{ value: 7 }]);
      expect(logger.lines.join('\n')).not.toMatch(/NGUYỄN|BN001|khnv/);
      expect(logger.lines.join('\n')).not.toContain(a.tokenHash.slice(0, 16));

      // The audit record just written is pushed next pass, and the pull after it starts from 7.
      expect(await sender.runOnce()).toMatchObject({ sent: 1, revoked: 0 });
      expect(pulls.map((p) => p.after)).toEqual([0, 7]);

      // Idle: no pull until it is due.
      expect(await sender.runOnce()).toMatchObject({ sent: 0, revoked: 0 });
      expect(pulls).toHaveLength(2);

      // The same slip listed again (say, after a server restore) changes nothing and audits nothing.
      listed = [...listed, revocation(9, a.tokenHash, a.slipId)];
      clock.advance(60_000);
      expect(await sender.runOnce()).toMatchObject({ sent: 0, revoked: 0, pullError: null });
      expect(pulls.map((p) => p.after)).toEqual([0, 7, 7]);
      expect(slipRow(a.slipId)).toMatchObject({ revoked_at: 1_700_000_000_005 });
      expect(serverAudits()).toHaveLength(1);
      expect(db.prepare('SELECT value FROM records_cursors').all()).toEqual([{ value: 9 }]);
    });

    it('reads every page while the server says there is more', async () => {
      const slips = [slip('BN010'), slip('BN011'), slip('BN012')];
      const all = slips.map((s, i) => revocation(i + 1, s.tokenHash, s.slipId));
      const { f, pulls } = fakeFetch(allStored, (after) => {
        const page = all.filter((r) => r.seq > after).slice(0, 2);
        return json({ revocations: page, cursor: page.at(-1)?.seq ?? after, more: all.some((r) => r.seq > (page.at(-1)?.seq ?? after)) });
      });
      const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f });
      expect(await sender.runOnce()).toMatchObject({ revoked: 3 });
      expect(pulls.map((p) => p.after)).toEqual([0, 2]);
      expect(slips.map((s) => slipRow(s.slipId).status)).toEqual(['revoked', 'revoked', 'revoked']);
    });

    it('backs a failing pull off on its own, without holding up delivery', async () => {
      const a = slip('BN020');
      let feedUp = false;
      const { f, calls, pulls } = fakeFetch(allStored, () =>
        feedUp ? json({ revocations: [revocation(1, a.tokenHash, a.slipId)], cursor: 1, more: false }) : json({ error: {} }, 503),
      );
      const logger = memoryLogger();
      const sender = createRecordsSender({ db, clock, audit, logger, target: () => target, fetch: f, baseDelayMs: 2000, randomInt: (m) => m - 1 });
      expect(await sender.runOnce()).toMatchObject({ delivered: 1, error: null, pullError: 'SERVER_FAILED', revoked: 0 });
      expect(sender.state().lastError).toBeNull();
      expect(sender.state().pullError).toMatchObject({ code: 'SERVER_FAILED' });
      expect(sender.state().pullError?.message).toMatch(/ \/ /); // Vietnamese / English
      expect(db.prepare('SELECT count(*) AS n FROM records_cursors').get()).toEqual({ n: 0 });
      // Idle and backing off: no pull until the backoff ends.
      expect(await sender.runOnce()).toMatchObject({ sent: 0 });
      expect(pulls).toHaveLength(1);
      feedUp = true;
      clock.advance(2000);
      expect(await sender.runOnce()).toMatchObject({ sent: 0, revoked: 1, pullError: null });
      expect(sender.state().pullError).toBeNull();
      expect(calls).toHaveLength(1);
      expect(logger.lines.filter((l) => l.includes('pull failed'))).toHaveLength(1);
    });

    it('refuses a feed that goes backwards, applying nothing', async () => {
      const a = slip('BN030');
      const { f } = fakeFetch(allStored, () => json({ revocations: [revocation(3, a.tokenHash, a.slipId), revocation(2, a.tokenHash, a.slipId)], cursor: 3, more: false }));
      const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => target, fetch: f });
      expect(await sender.runOnce()).toMatchObject({ pullError: 'SERVER_FAILED', revoked: 0 });
      expect(slipRow(a.slipId).status).toBe('active');
    });

    it('keeps one cursor per server and key', async () => {
      const { f, pulls } = fakeFetch(allStored, (after) => json({ revocations: [], cursor: after + 4, more: false }));
      let t = target;
      const sender = createRecordsSender({ db, clock, audit, logger: memoryLogger(), target: () => t, fetch: f });
      await sender.sendNow();
      await sender.sendNow();
      t = { url: 'http://server.test/', apiKey: 'rdk_new_key' };
      await sender.sendNow();
      expect(pulls.map((p) => [p.after, p.auth])).toEqual([[0, 'Bearer rdk_key'], [4, 'Bearer rdk_key'], [0, 'Bearer rdk_new_key']]);
      expect(JSON.stringify(db.prepare('SELECT * FROM records_cursors').all())).not.toContain('rdk_');
    });
  });
});
