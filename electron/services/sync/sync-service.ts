/**
 * The outbox worker: sends released instances to the PACS over STOW-RS, confirms them by QIDO-RS,
 * and purges local copies once they are safely in the PACS and old enough.
 *
 * Why it is shaped this way:
 * - Each row is leased in one transaction before its bytes go out and changes state only on a
 *   verdict, so a kill at any moment loses nothing: the next run takes back rows whose owner died
 *   and sends them again (a PACS keeps the first copy of a SOP Instance, so a resend is harmless).
 * - "Sent" means listed in the response's ReferencedSOPSequence (PS3.18 §10.5.3), never "got 200".
 * - A PACS outage is a state, not an error per instance: the connection goes offline, instances keep
 *   their place and their attempt budget, and while offline exactly one probe request goes out per
 *   backoff period (exponential, jittered, capped). When a probe answers, the queue drains itself.
 *
 * Connection states (the rows' states are drawn in outbox-store.ts):
 *
 *   unconfigured ──URL set──▶ unknown ──any answer──▶ online
 *                                │                    │ ▲
 *                                └──request failed────┤ │ probe answered
 *                                                     ▼ │
 *                                                   offline ──probe failed──▶ offline (next wait doubles, capped)
 *   (any) ──PACS settings changed──▶ unknown
 *
 * Time comes from the injected clock (tests move it by hand); only the background loop's sleeps
 * and lease renewals use real timers.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, statfsSync } from 'node:fs';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Settings } from '../../../shared/settings-schema';
import { DeskError, renderMessage, type ErrorCode } from '../../../shared/errors';
import type { Bilingual, StudySync, SyncProgress, SyncStatus } from '../../../shared/contract/sync';
import { LocalFileError, PacsRequestError, type ErrorInfo, type PacsClient, type PacsClientFactory, type StowResult } from '../pacs/pacs-client';
import { createDicomwebPacsClient, displayUrl } from '../pacs/dicomweb-pacs-client';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { createOutboxStore, type ClaimedRow } from './outbox-store';
import { localFilesOf, sendPathFor } from './send-path';
import { throughputMeter } from './throughput';

export interface SyncEventSink {
  emit(name: 'sync.state', payload: SyncStatus): void;
  emit(name: 'sync.progress', payload: SyncProgress): void;
}

export interface SyncTuning {
  /** Wait between probes while the PACS is offline. */
  readonly offlineBackoff: BackoffPolicy;
  /** Wait before re-sending an instance the PACS refused for a reason that may pass (A7xx, 0110, unacknowledged). */
  readonly instanceBackoff: BackoffPolicy;
  /** Wait before asking QIDO again for an acknowledged instance it did not list. */
  readonly verifyBackoff: BackoffPolicy;
  /** Instance-level retryable failures before the instance is marked failed. */
  readonly maxAttempts: number;
  /** QIDO misses after which an acknowledged instance is sent again. */
  readonly verifyMissesBeforeResend: number;
  /** Lease length; renewed every third of it while a request is in flight. */
  readonly leaseMs: number;
  /** A STOW request carries up to this many instances and bytes (the first instance always fits). */
  readonly batchMaxCount: number;
  readonly batchMaxBytes: number;
  /** Longest sleep of the background loop (it also looks for new rows this often). */
  readonly idlePollMs: number;
  /** Shortest gap between two passes of the background loop: no hot loop, whatever the data says. */
  readonly minPassGapMs: number;
  /** `sync.state` events at most this often. */
  readonly stateThrottleMs: number;
  readonly diskCheckMs: number;
}

export const defaultTuning: SyncTuning = {
  // Capped at 30 s: when the VPN is back the queue should move within half a minute, and one
  // small QIDO probe every 30 s costs the PACS nothing.
  offlineBackoff: { baseMs: 2_000, capMs: 30_000 },
  instanceBackoff: { baseMs: 10_000, capMs: 60 * 60_000 },
  verifyBackoff: { baseMs: 5_000, capMs: 10 * 60_000 },
  maxAttempts: 8,
  verifyMissesBeforeResend: 3,
  leaseMs: 60_000,
  batchMaxCount: 16,
  batchMaxBytes: 16 << 20,
  idlePollMs: 1_000,
  minPassGapMs: 50,
  stateThrottleMs: 250,
  diskCheckMs: 60_000,
};

export interface SyncServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: () => Settings;
  readonly dataDir: string;
  readonly createClient?: PacsClientFactory;
  readonly events?: SyncEventSink;
  readonly tuning?: Partial<SyncTuning>;
}

export type PacsOverride = Partial<Pick<Settings['pacs'], 'dicomwebUrl' | 'username' | 'password' | 'bearerToken' | 'caFile' | 'timeoutMs'>>;

export interface SyncService {
  /** Starts the background loop (takes back rows of dead runs first). */
  start(): void;
  /** Stops the loop, waits for the pass in flight, closes connections. */
  stop(): Promise<void>;
  /** One pass: send what is ready, verify what is due, purge what may go. For tests and the loop. */
  runOnce(): Promise<void>;
  /** Something new may be ready (ingest wrote pending rows, a study was released). */
  nudge(): void;
  status(): SyncStatus;
  list(opts: { unresolvedOnly: boolean; limit: number; offset: number }): { items: StudySync[]; total: number };
  retry(studyUIDs?: readonly string[]): number;
  release(studyUIDs: readonly string[]): { released: string[]; instances: number; patientIDs: string[] };
  test(override?: PacsOverride): Promise<{ ok: true; latencyMs: number; url: string }>;
  /** Every check must pass before a verified study's local files may be purged. */
  addSettledCheck(check: (studyInstanceUID: string) => boolean): () => void;
  isStudySettled(studyInstanceUID: string): boolean;
}

type Connection =
  | { state: 'unconfigured' | 'unknown' | 'online' }
  | { state: 'offline'; error: ErrorInfo; failedProbes: number; nextProbeAt: number };

/** Runs of the sync service alive in this process (a lease owner with our pid but not listed is dead). */
const liveRuns = new Set<string>();

function ownerAlive(owner: string): boolean {
  const pid = Number(owner.split(':')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return liveRuns.has(owner);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function bilingual(e: ErrorInfo): Bilingual {
  return { code: e.code, vi: renderMessage(e.code, e.params, 'vi'), en: renderMessage(e.code, e.params, 'en') };
}

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { db, clock, logger, dataDir } = deps;
  const tuning: SyncTuning = { ...defaultTuning, ...deps.tuning };
  const createClient = deps.createClient ?? createDicomwebPacsClient;
  const outbox = createOutboxStore(db);
  const owner = `${process.pid}:${randomBytes(6).toString('hex')}`;
  const meter = throughputMeter();
  const settledChecks = new Set<(studyUID: string) => boolean>();

  let conn: Connection = { state: 'unknown' };
  /**
   * Request-level failures since a request last did real work (stored or verified something). A
   * probe that answers does not reset it: a PACS that answers QIDO but refuses every upload must
   * see the waits grow, not one burst of uploads every base period.
   */
  let streak = 0;
  let client: { key: string; client: PacsClient } | null = null;
  let disk: { checkedAt: number; freeBytes: number | null } = { checkedAt: Number.NEGATIVE_INFINITY, freeBytes: null };
  let running = false;
  let stopping = false;
  let currentPass: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  /** Wakes the current pass's lanes that wait for rows (set only while a pass is sending). */
  let wakeLanes: (() => void) | null = null;
  let loopDone: Promise<void> | null = null;
  let stateTimer: NodeJS.Timeout | null = null;
  let lastStateKey = '';

  liveRuns.add(owner);

  // ── connection ─────────────────────────────────────────────────────────────────────────────

  function clientFor(s: Settings): PacsClient | null {
    if (!s.pacs.dicomwebUrl) {
      if (client) client.client.close();
      client = null;
      setConnection({ state: 'unconfigured' });
      return null;
    }
    const key = JSON.stringify(s.pacs);
    if (client?.key !== key) {
      client?.client.close();
      client = { key, client: createClient(s.pacs) };
      // New address or credentials: whatever we knew about the old ones no longer holds.
      streak = 0;
      setConnection({ state: 'unknown' });
    }
    return client.client;
  }

  function setConnection(next: Connection): void {
    const changed = next.state !== conn.state;
    conn = next;
    if (changed) {
      logger.info('pacs connection', { state: next.state, ...(next.state === 'offline' ? { code: next.error.code } : {}) });
      emitStateSoon(true);
    }
  }

  /** The PACS answered; `didWork` when the answer stored or verified something. */
  function markOnline(didWork: boolean): void {
    if (didWork) streak = 0;
    if (conn.state !== 'online') setConnection({ state: 'online' });
  }

  /** A request got no usable answer. Only the first failure of an outage schedules the probe. */
  function markOffline(e: PacsRequestError): void {
    const error = { code: e.code, params: e.params };
    if (conn.state === 'offline') {
      conn = { ...conn, error };
      return;
    }
    streak++;
    setConnection({ state: 'offline', error, failedProbes: 0, nextProbeAt: clock.now() + backoffDelay(tuning.offlineBackoff, streak - 1) });
  }

  async function probe(c: PacsClient): Promise<boolean> {
    if (conn.state !== 'offline') return true;
    const failedProbes = conn.failedProbes;
    try {
      await c.probe();
      markOnline(false);
      return true;
    } catch (e) {
      if (!(e instanceof PacsRequestError)) throw e;
      streak++;
      conn = { state: 'offline', error: { code: e.code, params: e.params }, failedProbes: failedProbes + 1, nextProbeAt: clock.now() + backoffDelay(tuning.offlineBackoff, streak - 1) };
      logger.info('pacs probe failed', { code: e.code, failedProbes: failedProbes + 1 });
      emitStateSoon();
      return false;
    }
  }

  // ── sending ────────────────────────────────────────────────────────────────────────────────

  /** Keeps this run's lease on rows alive while their request is in flight. */
  function holdLease(ids: readonly number[]): () => void {
    const timer = setInterval(() => outbox.renew(owner, ids, clock.now() + tuning.leaseMs), Math.max(1, Math.floor(tuning.leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  async function sendAll(c: PacsClient, lanes: number): Promise<void> {
    let busy = 0;
    let waiting: Array<() => void> = [];
    const wakeAll = () => {
      const w = waiting;
      waiting = [];
      for (const resolve of w) resolve();
    };
    const lane = async (): Promise<void> => {
      while (!stopping && conn.state !== 'offline') {
        const now = clock.now();
        const batch = outbox.claim(owner, now, now + tuning.leaseMs, tuning.batchMaxCount, tuning.batchMaxBytes, deps.settings().review.requireQa);
        if (batch.length === 0) {
          // Nothing to claim right now. While ingest is still committing rows (it nudges) and
          // another lane is sending, wait for either instead of leaving: a lane that left would
          // not come back before the pass ends, and the pass would run on fewer than
          // pacs.concurrency uploads — on a busy morning, on one.
          if (busy === 0) {
            wakeAll();
            return;
          }
          await new Promise<void>((resolve) => waiting.push(resolve));
          continue;
        }
        busy++;
        try {
          await sendBatch(c, batch);
        } finally {
          busy--;
          if (busy === 0) wakeAll();
        }
      }
    };
    wakeLanes = wakeAll;
    try {
      // Every lane finishes before the pass does, even when one throws: a next pass must never
      // run beside lanes of this one (that would exceed pacs.concurrency).
      const results = await Promise.allSettled(Array.from({ length: lanes }, lane));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      wakeLanes = null;
    }
  }

  async function sendBatch(c: PacsClient, rows: readonly ClaimedRow[]): Promise<void> {
    const ids = rows.map((r) => r.instanceId);
    const release = holdLease(ids);
    try {
      let result: StowResult;
      try {
        result = await c.store(rows.map((r) => ({ sopInstanceUID: r.sopInstanceUID, path: sendPathFor(dataDir, r), size: r.size })));
      } catch (e) {
        if (e instanceof LocalFileError) {
          const bad = rows.find((r) => r.sopInstanceUID === e.sopInstanceUID);
          if (bad) outbox.markFailed(owner, bad.instanceId, { code: e.code, params: e.params });
          logger.error('store file unusable', { instanceId: bad?.instanceId ?? null, detail: String(e.params.detail ?? '') });
          outbox.release(owner, ids.filter((id) => id !== bad?.instanceId));
          return;
        }
        if (e instanceof PacsRequestError) {
          const stored = rows.filter((r) => e.stored.has(r.sopInstanceUID));
          if (stored.length) acknowledge(stored);
          outbox.release(owner, ids.filter((id) => !stored.some((r) => r.instanceId === id)));
          logger.warn('stow request failed', { code: e.code, httpStatus: e.httpStatus, instances: rows.length });
          markOffline(e);
          return;
        }
        outbox.release(owner, ids);
        throw e;
      }
      const outcomes = rows.map((r) => result.outcomes.get(r.sopInstanceUID));
      markOnline(outcomes.some((o) => o?.kind === 'stored'));
      // "400" with nothing listed for a batch: the PACS refused something without saying what.
      // Each instance goes alone, so one bad instance cannot fail its neighbours.
      if (rows.length > 1 && outcomes.every((o) => o?.kind === 'failed' && !o.listed && !o.retryable)) {
        for (const [i, r] of rows.entries()) {
          if (stopping || conn.state === 'offline') {
            outbox.release(owner, rows.slice(i).map((x) => x.instanceId));
            return;
          }
          await sendBatch(c, [r]);
        }
        return;
      }
      const now = clock.now();
      const stored: ClaimedRow[] = [];
      for (const [i, r] of rows.entries()) {
        const o = outcomes[i] ?? { kind: 'failed' as const, listed: false, retryable: true, failureReason: null, error: { code: 'PACS_NOT_ACKNOWLEDGED' as ErrorCode, params: {} } };
        if (o.kind === 'stored') {
          stored.push(r);
        } else if (o.retryable && r.attempts + 1 < tuning.maxAttempts) {
          outbox.markRetry(owner, r.instanceId, o.error, now + backoffDelay(tuning.instanceBackoff, r.attempts));
          logger.warn('instance will be retried', { instanceId: r.instanceId, code: o.error.code, reason: o.failureReason, attempts: r.attempts + 1 });
        } else {
          outbox.markFailed(owner, r.instanceId, o.error);
          logger.warn('instance failed', { instanceId: r.instanceId, code: o.error.code, reason: o.failureReason, attempts: r.attempts + 1 });
        }
      }
      acknowledge(stored);
      emitProgress(new Set(rows.map((r) => r.studyInstanceUID)));
    } finally {
      release();
    }
  }

  function acknowledge(rows: readonly ClaimedRow[]): void {
    if (rows.length === 0) return;
    const now = clock.now();
    outbox.markSent(owner, rows.map((r) => r.instanceId), now, now);
    meter.record(rows.reduce((n, r) => n + r.size, 0), now);
    emitStateSoon();
  }

  // ── verification ───────────────────────────────────────────────────────────────────────────

  /** QIDO for each study due, `lanes` at a time (small requests: the tail after a big send is short). */
  async function verifyDue(c: PacsClient, lanes: number): Promise<void> {
    const due = outbox.studiesToVerify(clock.now(), 50);
    const lane = async (): Promise<void> => {
      for (let study = due.shift(); study !== undefined; study = due.shift()) {
        if (stopping || conn.state === 'offline') return;
        await verifyStudy(c, study);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  }

  async function verifyStudy(c: PacsClient, study: string): Promise<void> {
    let held: Set<string>;
    try {
      held = await c.instancesOfStudy(study);
    } catch (e) {
      if (!(e instanceof PacsRequestError)) throw e;
      logger.warn('qido failed', { code: e.code, httpStatus: e.httpStatus });
      markOffline(e);
      return;
    }
    markOnline(true);
    const now = clock.now();
    const rows = outbox.sentRowsOfStudy(study);
    outbox.markVerified(rows.filter((r) => held.has(r.sopInstanceUID)).map((r) => r.instanceId), now);
    for (const r of rows) {
      if (held.has(r.sopInstanceUID) || r.availableAt > now) continue;
      const misses = r.verifyMisses + 1;
      const resend = misses >= tuning.verifyMissesBeforeResend;
      outbox.markVerifyMiss(r.instanceId, resend ? now : now + backoffDelay(tuning.verifyBackoff, r.verifyMisses), resend, { code: 'PACS_NOT_FOUND_AFTER_SEND', params: {} });
      logger.warn('sent instance not found by qido', { instanceId: r.instanceId, misses, resend });
    }
    emitProgress(new Set([study]));
    emitStateSoon();
  }

  // ── purge and disk ─────────────────────────────────────────────────────────────────────────

  function isStudySettled(studyUID: string): boolean {
    if (!outbox.outboxSettled(studyUID)) return false;
    for (const check of settledChecks) if (!check(studyUID)) return false;
    return true;
  }

  function purgeDue(s: Settings): void {
    const now = clock.now();
    const settled = new Map<string, boolean>();
    for (const c of outbox.purgeCandidates(now - s.sync.retentionDays * 86_400_000, 500)) {
      let ok = settled.get(c.studyInstanceUID);
      if (ok === undefined) settled.set(c.studyInstanceUID, (ok = isStudySettled(c.studyInstanceUID)));
      if (!ok) continue;
      for (const file of localFilesOf(dataDir, c)) rmSync(file, { force: true });
      outbox.markPurged(c.instanceId, now);
    }
  }

  function checkDisk(force = false): void {
    const now = clock.now();
    if (!force && now - disk.checkedAt < tuning.diskCheckMs) return;
    const wasLow = diskLow();
    try {
      const st = statfsSync(dataDir);
      disk = { checkedAt: now, freeBytes: st.bavail * st.bsize };
    } catch {
      disk = { checkedAt: now, freeBytes: null };
    }
    if (diskLow() && !wasLow) logger.warn('data disk low', { freeGB: Math.round((disk.freeBytes ?? 0) / 1024 ** 3), warnGB: deps.settings().sync.diskWarnGB });
  }

  function diskLow(): boolean {
    return disk.freeBytes !== null && disk.freeBytes < deps.settings().sync.diskWarnGB * 1024 ** 3;
  }

  // ── the pass and the loop ──────────────────────────────────────────────────────────────────

  async function pass(): Promise<void> {
    const s = deps.settings();
    const recovered = outbox.recoverLeases(owner, clock.now(), ownerAlive);
    if (recovered) logger.info('leases taken back', { rows: recovered });
    outbox.promoteReleased(clock.now());
    checkDisk();
    const c = clientFor(s);
    if (c && !(conn.state === 'offline' && clock.now() < conn.nextProbeAt) && (await probe(c))) {
      if (outbox.hasPending()) await sendAll(c, s.pacs.concurrency);
      if (conn.state !== 'offline') await verifyDue(c, s.pacs.concurrency);
    }
    purgeDue(s);
    emitStateSoon();
  }

  function runOnce(): Promise<void> {
    const run = (): Promise<void> => {
      const p = pass().finally(() => {
        if (currentPass === p) currentPass = null;
      });
      currentPass = p;
      return p;
    };
    return currentPass ? currentPass.then(run, run) : run();
  }

  function nextDelay(): number {
    const now = clock.now();
    let next = now + tuning.idlePollMs;
    if (conn.state === 'offline') next = Math.min(next, conn.nextProbeAt);
    else if (conn.state !== 'unconfigured') {
      const due = outbox.nextDue(true);
      if (due !== null) next = Math.min(next, due);
    }
    return Math.min(tuning.idlePollMs, Math.max(tuning.minPassGapMs, next - now));
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        await runOnce();
      } catch (e) {
        logger.error('sync pass failed', { error: e instanceof Error ? e.message : String(e) });
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          wake = null;
          resolve();
        }, nextDelay());
        wake = () => {
          clearTimeout(t);
          wake = null;
          resolve();
        };
      });
    }
  }

  // ── events ─────────────────────────────────────────────────────────────────────────────────

  /** Emits the status snapshot at most every stateThrottleMs, and only when it changed. */
  function emitStateSoon(immediately = false): void {
    if (!deps.events) return;
    const emitNow = () => {
      const snapshot = status();
      const key = JSON.stringify(snapshot);
      if (key === lastStateKey) return;
      lastStateKey = key;
      deps.events?.emit('sync.state', snapshot);
    };
    if (immediately) {
      if (stateTimer) clearTimeout(stateTimer);
      stateTimer = null;
      emitNow();
      return;
    }
    if (stateTimer) return;
    stateTimer = setTimeout(() => {
      stateTimer = null;
      emitNow();
    }, tuning.stateThrottleMs);
    stateTimer.unref();
  }

  function emitProgress(studies: ReadonlySet<string>): void {
    if (!deps.events || studies.size === 0) return;
    const rate = meter.rate(clock.now());
    for (const row of outbox.studies({ unresolvedOnly: false, limit: studies.size, offset: 0, studyUIDs: [...studies] }).items) {
      const sent = row.counts.sent + row.counts.verified + row.counts.purged;
      const left = row.bytesTotal - row.bytesDone;
      deps.events.emit('sync.progress', {
        studyInstanceUID: row.studyInstanceUID,
        sent,
        total: row.total,
        bytesDone: row.bytesDone,
        bytesTotal: row.bytesTotal,
        bytesPerSecond: rate,
        etaSeconds: left === 0 ? 0 : rate > 0 ? left / rate : null,
      });
    }
  }

  // ── public face ────────────────────────────────────────────────────────────────────────────

  function status(): SyncStatus {
    const c = outbox.statusCounts();
    const configured = deps.settings().pacs.dicomwebUrl !== '';
    const state = configured ? (conn.state === 'unconfigured' ? 'unknown' : conn.state) : 'unconfigured';
    const lastError = !configured ? bilingual({ code: 'PACS_NOT_CONFIGURED', params: {} }) : conn.state === 'offline' ? bilingual(conn.error) : null;
    if (disk.freeBytes === null) checkDisk(true);
    return {
      online: state === 'online',
      connection: state,
      held: c.counts.held,
      pending: c.counts.pending,
      sending: c.counts.sending,
      sent: c.counts.sent,
      verified: c.counts.verified + c.counts.purged,
      failed: c.counts.failed,
      bytesPending: c.bytesPending,
      studiesWaiting: c.studiesWaiting,
      lastError,
      nextProbeAt: conn.state === 'offline' && configured ? conn.nextProbeAt : null,
      diskFreeBytes: disk.freeBytes,
      diskLow: diskLow(),
    };
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loopDone = loop();
    },
    async stop() {
      running = false;
      stopping = true;
      wake?.();
      await loopDone;
      await currentPass?.catch(() => undefined);
      if (stateTimer) clearTimeout(stateTimer);
      stateTimer = null;
      client?.client.close();
      client = null;
      liveRuns.delete(owner);
    },
    runOnce,
    nudge() {
      wake?.();
      wakeLanes?.();
    },
    status,
    list(opts) {
      const { items, total } = outbox.studies(opts);
      return {
        total,
        items: items.map((r) => ({
          ...r,
          progress: r.bytesTotal > 0 ? r.bytesDone / r.bytesTotal : r.total > 0 ? 1 : 0,
          lastError: r.lastError ? bilingual(r.lastError) : null,
        })),
      };
    },
    retry(studyUIDs) {
      if (studyUIDs && studyUIDs.length === 0) return 0;
      const n = outbox.retry(clock.now(), studyUIDs);
      // The operator says "now": an offline PACS gets its probe now too.
      if (conn.state === 'offline') conn = { ...conn, nextProbeAt: clock.now() };
      emitStateSoon();
      wake?.();
      return n;
    },
    release(studyUIDs) {
      const unique = [...new Set(studyUIDs)];
      const found = outbox.existingStudies(unique);
      if (found.length !== unique.length) throw new DeskError('NOT_FOUND', { what: 'study' });
      const instances = outbox.releaseStudies(unique, clock.now());
      emitStateSoon();
      wake?.();
      return { released: unique, instances, patientIDs: found.map((f) => f.patientID) };
    },
    async test(override = {}) {
      const s = deps.settings().pacs;
      const merged = { ...s, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) };
      if (!merged.dicomwebUrl) throw new DeskError('PACS_NOT_CONFIGURED');
      let url: URL;
      try {
        url = new URL(merged.dicomwebUrl);
      } catch {
        throw new DeskError('PACS_NOT_DICOMWEB', { url: merged.dicomwebUrl }, { field: 'dicomwebUrl' });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DeskError('PACS_NOT_DICOMWEB', { url: displayUrl(merged.dicomwebUrl) }, { field: 'dicomwebUrl' });
      const c = createClient(merged);
      const t0 = performance.now();
      try {
        await c.probe();
      } catch (e) {
        if (e instanceof PacsRequestError) throw new DeskError(e.code, e.params, { cause: e });
        throw e;
      } finally {
        c.close();
      }
      return { ok: true as const, latencyMs: Math.round(performance.now() - t0), url: c.url };
    },
    addSettledCheck(check) {
      settledChecks.add(check);
      return () => settledChecks.delete(check);
    },
    isStudySettled,
  };
}
