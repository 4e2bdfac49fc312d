/**
 * The rules of the result page, apart from HTTP:
 *
 *   token ──exchange──▶ session ──(birth year, if the slip asks)──▶ verified ──▶ images
 *
 * - A token is looked up by its SHA-256 only. Unknown, expired and revoked tokens take the same
 *   path — one hash, one indexed lookup — and give the same answer (null), so neither the page
 *   nor its timing tells them apart.
 * - A valid token is exchanged for a random session id (only its hash is stored); every later
 *   request re-checks the token behind the session, so a revocation or expiry takes effect at once.
 * - Birth-year attempts are counted per token (not per session, which a guesser could renew):
 *   5 wrong answers lock the token for 15 minutes, and the lock is audited.
 * - Images are known to the browser only by opaque per-session ids; the UIDs stay on the server.
 */
import type { Clock } from '../../../electron/services/clock';
import type { Logger } from '../../../electron/services/logger';
import type { Queryable, Sql } from '../db/sql';
import { hashPrefix, randomId, sha256Hex } from '../security/secrets';
import type { PacsImageSource, StudyImage } from '../pacs/pacs-images';
import { recordAccess, type AccessEvent } from './access-log';

export const MAX_BIRTH_YEAR_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;

export interface SlipView {
  readonly tokenHash: string;
  readonly clinicName: string;
  readonly patientName: string;
  readonly birthYear: string | null;
  readonly exams: readonly string[];
  readonly studyUIDs: readonly string[];
  readonly issuedAt: number;
  readonly requireBirthYear: boolean;
  readonly lockedUntil: number | null;
}

export interface SessionView {
  readonly idHash: string;
  readonly verified: boolean;
  readonly slip: SlipView;
}

export type BirthYearOutcome = { kind: 'ok' } | { kind: 'wrong'; attemptsLeft: number } | { kind: 'locked'; until: number };

export interface ImageRef {
  readonly id: string;
}

export interface ResultAccess {
  /** Token → new session id, or null for every kind of invalid token. */
  exchangeToken(token: string): Promise<string | null>;
  /** The live session behind a cookie value, or null (no such session, expired, token invalid). */
  session(sessionId: string | undefined): Promise<SessionView | null>;
  answerBirthYear(s: SessionView, answer: string): Promise<BirthYearOutcome>;
  /** The session's images, or null while the PACS has none yet (or cannot be reached). */
  images(s: SessionView): Promise<ImageRef[] | null>;
  /** The session and the instance behind one of its image ids, in one round trip; null as `session`. */
  sessionImage(sessionId: string | undefined, imageId: string): Promise<{ session: SessionView; image: StudyImage | null } | null>;
  log(s: SessionView, event: AccessEvent, detail?: Record<string, string | number>): Promise<void>;
}

interface SlipRow {
  token_hash: string | null;
  clinic_name: string;
  patient_name: string;
  birth_year: string | null;
  exams: string[];
  study_uids: string[];
  issued_at: number;
  expires_at: number;
  require_birth_year: boolean;
  locked_until: number | null;
}

/**
 * A slip's columns when its token is live ($2 = now), every column NULL otherwise. The three
 * index probes (slip, revocation, attempts) run whatever the token, and an unknown, an expired
 * and a revoked token come back as the very same all-NULL row — same work, same answer.
 */
const LIVE = `(s.token_hash IS NOT NULL AND r.token_hash IS NULL AND s.expires_at > $2)`;
const LIVE_COLUMNS = [
  ...['token_hash', 'clinic_name', 'patient_name', 'birth_year', 'exams', 'study_uids', 'issued_at', 'expires_at', 'require_birth_year'].map(
    (c) => `CASE WHEN ${LIVE} THEN s.${c} END AS ${c}`,
  ),
  `CASE WHEN ${LIVE} THEN a.locked_until END AS locked_until`,
].join(', ');
const JOINS = (hash: string) => `
  LEFT JOIN slips s ON s.token_hash = ${hash}
  LEFT JOIN token_revocations r ON r.token_hash = ${hash}
  LEFT JOIN token_attempts a ON a.token_hash = ${hash}`;

const SLIP_BY_HASH = `SELECT ${LIVE_COLUMNS} FROM (SELECT $1::text AS h) q ${JOINS('q.h')}`;
const SESSION_SLIP = `SELECT rs.verified, ${LIVE_COLUMNS} FROM result_sessions rs ${JOINS('rs.token_hash')} WHERE rs.id_hash = $1 AND rs.expires_at > $2`;
const SESSION_IMAGE = `
  SELECT rs.verified, ${LIVE_COLUMNS}, si.study_uid AS img_study, si.series_uid AS img_series, si.instance_uid AS img_instance
    FROM result_sessions rs ${JOINS('rs.token_hash')}
    LEFT JOIN session_images si ON si.session_hash = rs.id_hash AND si.image_id = $3
   WHERE rs.id_hash = $1 AND rs.expires_at > $2`;

export function createResultAccess(deps: {
  sql: Sql;
  clock: Clock;
  logger: Logger;
  pacs: PacsImageSource | null;
  sessionTtlMs: number;
  /** How long a study's instance list from the PACS is reused (50 phones must not mean 50 QIDO calls). */
  listCacheMs?: number;
}): ResultAccess {
  const { sql, clock, logger, pacs } = deps;
  const listCacheMs = deps.listCacheMs ?? 10_000;
  const listCache = new Map<string, { at: number; images: StudyImage[] }>();
  const inflight = new Map<string, Promise<StudyImage[]>>();

  const live = (row: SlipRow | undefined): SlipView | null => {
    if (!row || row.token_hash === null) return null;
    const now = clock.now();
    return {
      tokenHash: row.token_hash,
      clinicName: row.clinic_name,
      patientName: row.patient_name,
      birthYear: row.birth_year,
      exams: row.exams,
      studyUIDs: row.study_uids,
      issuedAt: row.issued_at,
      requireBirthYear: row.require_birth_year,
      lockedUntil: row.locked_until !== null && row.locked_until > now ? row.locked_until : null,
    };
  };

  const lookup = async (q: Queryable, tokenHash: string) => live((await q.query<SlipRow>(SLIP_BY_HASH, [tokenHash, clock.now()]))[0]);

  async function listStudy(studyUID: string): Promise<StudyImage[]> {
    const hit = listCache.get(studyUID);
    const now = clock.now();
    if (hit && now - hit.at < listCacheMs) return hit.images;
    // Fifty phones arriving together share one PACS search.
    let pending = inflight.get(studyUID);
    if (!pending) {
      pending = (pacs as PacsImageSource).listImages(studyUID).finally(() => inflight.delete(studyUID));
      inflight.set(studyUID, pending);
    }
    const images = await pending;
    if (listCache.size > 5000) listCache.clear();
    // An empty answer is not cached: images may land any second.
    if (images.length > 0) listCache.set(studyUID, { at: now, images });
    return images;
  }

  return {
    async exchangeToken(token) {
      const tokenHash = sha256Hex(token);
      const slip = await lookup(sql, tokenHash);
      if (!slip) return null;
      const sessionId = randomId(32);
      const now = clock.now();
      await sql.query('INSERT INTO result_sessions (id_hash, token_hash, created_at, expires_at, verified) VALUES ($1, $2, $3, $4, $5)', [
        sha256Hex(sessionId),
        tokenHash,
        now,
        now + deps.sessionTtlMs,
        !slip.requireBirthYear,
      ]);
      await recordAccess(sql, clock, tokenHash, 'link-opened');
      return sessionId;
    },

    async session(sessionId) {
      if (!sessionId || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
      const idHash = sha256Hex(sessionId);
      // One round trip: the session and, through its token, the same facts as SLIP_BY_HASH.
      const rows = await sql.query<SlipRow & { verified: boolean }>(SESSION_SLIP, [idHash, clock.now()]);
      const row = rows[0];
      const slip = live(row);
      return row && slip ? { idHash, verified: row.verified || !slip.requireBirthYear, slip } : null;
    },

    async answerBirthYear(s, answer) {
      const tokenHash = s.slip.tokenHash;
      const outcome = await sql.transaction(async (tx): Promise<BirthYearOutcome> => {
        const now = clock.now();
        await tx.query('INSERT INTO token_attempts (token_hash, failures, locked_until, updated_at) VALUES ($1, 0, NULL, $2) ON CONFLICT (token_hash) DO NOTHING', [tokenHash, now]);
        // The row lock serialises concurrent guesses on one token: none slips past the fifth.
        const [att] = await tx.query<{ failures: number; locked_until: number | null }>('SELECT failures, locked_until FROM token_attempts WHERE token_hash = $1 FOR UPDATE', [tokenHash]);
        if (att && att.locked_until !== null && att.locked_until > now) return { kind: 'locked', until: att.locked_until };
        if (s.slip.birthYear !== null && answer.trim() === s.slip.birthYear) {
          await tx.query('UPDATE token_attempts SET failures = 0, locked_until = NULL, updated_at = $2 WHERE token_hash = $1', [tokenHash, now]);
          await tx.query('UPDATE result_sessions SET verified = TRUE WHERE id_hash = $1', [s.idHash]);
          return { kind: 'ok' };
        }
        const failures = (att?.failures ?? 0) + 1;
        if (failures >= MAX_BIRTH_YEAR_FAILURES) {
          const until = now + LOCK_MS;
          await tx.query('UPDATE token_attempts SET failures = 0, locked_until = $2, updated_at = $3 WHERE token_hash = $1', [tokenHash, until, now]);
          await tx.query(`INSERT INTO server_audit (at, actor, action, detail) VALUES ($1, 'result-page', 'birth-year-lock', $2)`, [
            now,
            JSON.stringify({ tok: hashPrefix(tokenHash), failures, lockedUntil: until }),
          ]);
          return { kind: 'locked', until };
        }
        await tx.query('UPDATE token_attempts SET failures = $2, updated_at = $3 WHERE token_hash = $1', [tokenHash, failures, now]);
        return { kind: 'wrong', attemptsLeft: MAX_BIRTH_YEAR_FAILURES - failures };
      });
      const event: AccessEvent = outcome.kind === 'ok' ? 'birth-year-ok' : outcome.kind === 'wrong' ? 'birth-year-wrong' : 'birth-year-locked';
      await recordAccess(sql, clock, tokenHash, event);
      if (outcome.kind === 'locked') logger.warn('result token locked after wrong birth years', { tok: hashPrefix(tokenHash) });
      return outcome;
    },

    async images(s) {
      if (!pacs || s.slip.studyUIDs.length === 0) return null;
      let found: StudyImage[] = [];
      try {
        for (const uid of s.slip.studyUIDs) found = found.concat(await listStudy(uid));
      } catch (e) {
        logger.warn('PACS search failed', { tok: hashPrefix(s.slip.tokenHash), error: (e as Error).message });
        return null;
      }
      if (found.length === 0) return null;
      const known = await sql.query<{ image_id: string; instance_uid: string; ordinal: number }>(
        'SELECT image_id, instance_uid, ordinal FROM session_images WHERE session_hash = $1',
        [s.idHash],
      );
      const byUid = new Map(known.map((k) => [k.instance_uid, k]));
      let next = known.reduce((m, k) => Math.max(m, k.ordinal + 1), 0);
      for (const img of found) {
        if (byUid.has(img.instanceUID)) continue;
        const row = { image_id: randomId(16), instance_uid: img.instanceUID, ordinal: next++ };
        await sql.query(
          `INSERT INTO session_images (session_hash, image_id, ordinal, study_uid, series_uid, instance_uid) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING`,
          [s.idHash, row.image_id, row.ordinal, img.studyUID, img.seriesUID, img.instanceUID],
        );
        byUid.set(img.instanceUID, row);
      }
      const order = new Map(found.map((f, i) => [f.instanceUID, i]));
      return [...byUid.values()]
        .filter((r) => order.has(r.instance_uid))
        .sort((a, b) => (order.get(a.instance_uid) as number) - (order.get(b.instance_uid) as number))
        .map((r) => ({ id: r.image_id }));
    },

    async sessionImage(sessionId, imageId) {
      if (!sessionId || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
      const idHash = sha256Hex(sessionId);
      const [row] = await sql.query<SlipRow & { verified: boolean; img_study: string | null; img_series: string | null; img_instance: string | null }>(
        SESSION_IMAGE,
        [idHash, clock.now(), /^[A-Za-z0-9_-]{22}$/.test(imageId) ? imageId : ''],
      );
      const slip = live(row);
      if (!row || !slip) return null;
      const session = { idHash, verified: row.verified || !slip.requireBirthYear, slip };
      // Belt and braces: the instance must still belong to one of the slip's studies.
      const ok = row.img_study !== null && row.img_series !== null && row.img_instance !== null && slip.studyUIDs.includes(row.img_study);
      return {
        session,
        image: ok ? { studyUID: row.img_study as string, seriesUID: row.img_series as string, instanceUID: row.img_instance as string, seriesNumber: 0, instanceNumber: 0 } : null,
      };
    },

    log: (s, event, detail) => recordAccess(sql, clock, s.slip.tokenHash, event, detail),
  };
}
