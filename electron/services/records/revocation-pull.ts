/**
 * Brings revocations made on the clinic server back to this desk: an admin there revokes a slip's
 * token (a patient reports the slip lost, say), and the desk that printed it must stop listing the
 * slip as valid. The records sender calls `pull()` after each successful push and, when idle, on
 * its own schedule (records-sender.ts).
 *
 *   GET {server.url}/api/revocations?after=<cursor>   (shared/records.ts `revocationFeedSchema`)
 *     → for each: the desk's active slip with that token hash → revoked ('server-admin'), audited
 *     → cursor := the page's cursor, in the same SQLite transaction → next page while `more`
 *
 * The cursor is the server's revocation number, stored durably per server and key (a re-enrolled
 * desk or a new server starts from 0), so a crash between pages re-reads at most one page, and
 * re-reading changes nothing: a slip already revoked stays as it is, with no second audit entry.
 * The log carries counts and the cursor only; the audit record names the patient, as every action
 * on patient data does.
 */
import { createHash } from 'node:crypto';
import { revocationFeedSchema, type RevocationFeed } from '../../../shared/records';
import { markSlipRevokedByServer } from '../slips/slip-store';
import { readSlipVisit } from '../slips/visit-query';
import type { RecordsSenderDeps, RecordsTarget } from './records-sender';
import { callServer, ServerCallFailure } from './server-call';

/** The audit action of a slip revoked on the server. */
export const SERVER_REVOKE_ACTION = 'slips.revokedOnServer';

/** Pages per pull: 200 revocations each, far more than a clinic revokes between two pulls. */
const MAX_PAGES = 50;

export interface PullResult {
  /** Slips this pull marked revoked. */
  readonly applied: number;
  /** Revocations the server listed (already revoked or unknown here included). */
  readonly seen: number;
  readonly cursor: number;
}

/** The sender's own dependencies: the pull runs inside its passes, against the same server. */
export type RevocationPullDeps = Pick<RecordsSenderDeps, 'db' | 'clock' | 'logger' | 'audit' | 'target' | 'fetch' | 'timeoutMs'>;

export interface RevocationPull {
  /** Reads the feed from the stored cursor to its end and applies it. Throws ServerCallFailure. */
  pull(): Promise<PullResult>;
  /** The stored cursor for the current server and key. */
  cursor(): number;
}

export function createRevocationPull(deps: RevocationPullDeps): RevocationPull {
  const { db, clock, logger, audit } = deps;
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const readCursor = db.prepare('SELECT value FROM records_cursors WHERE name = ?');
  const writeCursor = db.prepare(
    `INSERT INTO records_cursors (name, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );

  /** One cursor per server URL and API key; the key itself is not stored, only a short hash with the URL. */
  const cursorName = (t: RecordsTarget) => `revocations:${createHash('sha256').update(`${t.url.replace(/\/+$/, '')}\n${t.apiKey}`).digest('hex').slice(0, 16)}`;
  const cursorOf = (name: string) => (readCursor.get(name) as { value: number } | undefined)?.value ?? 0;

  async function page(t: RecordsTarget, after: number): Promise<RevocationFeed> {
    const feed = await callServer(doFetch, { url: t.url, apiKey: t.apiKey, path: `/api/revocations?after=${after}`, schema: revocationFeedSchema, timeoutMs });
    // The feed moves forward only: an answer that would move the cursor back, or list a number at
    // or before it, is a server fault, not something to apply.
    let last = after;
    for (const r of feed.revocations) {
      if (r.seq <= last) throw new ServerCallFailure('SERVER_FAILED', { status: 'order' });
      last = r.seq;
    }
    if (feed.cursor < last) throw new ServerCallFailure('SERVER_FAILED', { status: 'cursor' });
    return feed;
  }

  const apply = db.transaction((name: string, feed: RevocationFeed): { applied: number; unknown: number } => {
    let applied = 0;
    let unknown = 0;
    for (const r of feed.revocations) {
      const reason = `Thu hồi trên máy chủ / Revoked on the server (${r.revokedBy}): ${r.reason}`;
      const slip = markSlipRevokedByServer(db, r.tokenHash, r.revokedAt, reason);
      if (!slip) {
        if (db.prepare('SELECT 1 FROM slips WHERE token_hash = ?').get(r.tokenHash) === undefined) unknown++;
        continue;
      }
      applied++;
      audit.append({
        operatorId: null,
        action: SERVER_REVOKE_ACTION,
        outcome: 'ok',
        patientID: readSlipVisit(db, slip.visitId)?.patientID ?? null,
        detail: { slipId: slip.id, visitId: slip.visitId, tokenHash: r.tokenHash.slice(0, 8), reason: r.reason, revokedBy: r.revokedBy, revokedAt: r.revokedAt, serverSeq: r.seq },
      });
    }
    writeCursor.run(name, feed.cursor, clock.now());
    return { applied, unknown };
  });

  return {
    cursor: () => cursorOf(cursorName(deps.target())),
    async pull() {
      const t = deps.target();
      const name = cursorName(t);
      let cursor = cursorOf(name);
      let applied = 0;
      let unknown = 0;
      let seen = 0;
      for (let i = 0; i < MAX_PAGES; i++) {
        const feed = await page(t, cursor);
        const r = apply(name, feed);
        applied += r.applied;
        unknown += r.unknown;
        seen += feed.revocations.length;
        cursor = feed.cursor;
        if (!feed.more) break;
      }
      if (seen > 0) logger.info('server revocations applied', { applied, unknown, already: seen - applied - unknown, cursor });
      return { applied, seen, cursor };
    },
  };
}
