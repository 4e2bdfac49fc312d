/**
 * Live progress of the upload from `sync.progress` events: the desk-wide throughput each event
 * carries, each study's latest progress, and ETAs. Events arrive after each acknowledged STOW-RS
 * request (PS3.18 §10.5); between two list refreshes they move the bars. A throughput older than
 * `STALE_MS` is no longer "now" (the upload stalled or finished) and is not shown.
 */
import type { Language } from '../../i18n/i18n';
import type { StudySync, SyncProgress } from '../../../../shared/contract/sync';

export const STALE_MS = 15_000;

export interface LiveProgress {
  readonly byStudy: ReadonlyMap<string, { readonly progress: SyncProgress; readonly at: number }>;
  readonly rate: { readonly bytesPerSecond: number; readonly at: number } | null;
}

export const NO_PROGRESS: LiveProgress = { byStudy: new Map(), rate: null };

export function addProgress(state: LiveProgress, progress: SyncProgress, at: number): LiveProgress {
  const byStudy = new Map(state.byStudy);
  byStudy.set(progress.studyInstanceUID, { progress, at });
  return { byStudy, rate: { bytesPerSecond: progress.bytesPerSecond, at } };
}

/** Bytes per second now, or null when no fresh event says so. */
export function liveRate(state: LiveProgress, now: number): number | null {
  const r = state.rate;
  return r && now - r.at <= STALE_MS && r.bytesPerSecond > 0 ? r.bytesPerSecond : null;
}

/** Seconds to send `bytesLeft` at `rate`, or null when either is unknown. */
export function etaSeconds(bytesLeft: number, rate: number | null): number | null {
  if (rate === null || rate <= 0) return null;
  return bytesLeft <= 0 ? 0 : bytesLeft / rate;
}

export interface RowProgress {
  readonly sent: number;
  readonly total: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** 0…1 */
  readonly fraction: number;
  /** Seconds left for this study, or null. */
  readonly eta: number | null;
}

/**
 * A study row as the bar shows it: the list's counts, overtaken by a progress event newer than
 * the list (`listAt`). The event's own ETA counts down from when it arrived.
 */
export function rowProgress(row: StudySync, state: LiveProgress, listAt: number, now: number): RowProgress {
  const acknowledged = row.counts.sent + row.counts.verified + row.counts.purged;
  const live = state.byStudy.get(row.studyInstanceUID);
  const useLive = live !== undefined && live.at > listAt && live.progress.bytesDone >= row.bytesDone;
  const bytesDone = useLive ? live.progress.bytesDone : row.bytesDone;
  const bytesTotal = useLive ? live.progress.bytesTotal : row.bytesTotal;
  const fraction = bytesTotal > 0 ? Math.min(1, bytesDone / bytesTotal) : row.progress;
  let eta: number | null = null;
  if (live && now - live.at <= STALE_MS && live.progress.etaSeconds !== null && bytesDone < bytesTotal) {
    eta = Math.max(0, live.progress.etaSeconds - (now - live.at) / 1000);
  }
  return {
    sent: useLive ? live.progress.sent : acknowledged,
    total: useLive ? live.progress.total : row.total,
    bytesDone,
    bytesTotal,
    fraction,
    eta,
  };
}

const UNITS: Record<Language, { h: string; m: string; s: string }> = {
  vi: { h: 'giờ', m: 'phút', s: 'giây' },
  en: { h: 'h', m: 'min', s: 's' },
};

/** 3725 → "1 giờ 2 phút" / "1 h 2 min"; 125 → "2 phút 5 giây"; under a second → "< 1 giây". */
export function formatDuration(seconds: number, lang: Language): string {
  const u = UNITS[lang];
  const total = Math.round(seconds);
  if (total < 1) return `< 1 ${u.s}`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} ${u.h} ${m} ${u.m}` : `${h} ${u.h}`;
  if (m > 0) return s > 0 ? `${m} ${u.m} ${s} ${u.s}` : `${m} ${u.m}`;
  return `${s} ${u.s}`;
}
