/**
 * Progressive JPEGs for phones on slow connections. A PACS renders baseline JPEG (Orthanc's WADO-RS
 * `/rendered`, PS3.18 §10.4.1.1.3, answers SOF0): a baseline image paints top to bottom as it
 * arrives, a progressive one (ITU-T T.81 Annex G, SOF2) shows the whole X-ray blurred after the
 * first scan and sharpens — on 3G the patient sees their image at once.
 *
 * The conversion is libjpeg-turbo's `jpegtran -progressive -optimize -copy none`: lossless (it
 * rearranges the same DCT coefficients into scans and re-optimises the Huffman tables, so the
 * decoded pixels are identical), usually a few percent smaller, and `-copy none` drops every APPn
 * and COM segment (no PACS metadata reaches the phone). It runs as a child process, stdin → stdout,
 * no shell, at most `concurrency` at a time (2 cores), each killed after `timeoutMs`.
 *
 * Anything going wrong serves the PACS's baseline bytes instead: the image still shows. Each kind of
 * failure is logged once (no token, UID or name: only the reason and jpegtran's exit code). When
 * jpegtran cannot be started at all it is not tried again until the server restarts.
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../../../electron/services/logger';
import { jpegMarkers, SOF0, SOF1, SOF2 } from './jpeg-markers';

export interface ProgressiveResult {
  readonly bytes: Buffer;
  readonly progressive: boolean;
  /** A fallback for a passing reason (timeout): worth trying again, not worth caching. */
  readonly transient: boolean;
}

export interface ProgressiveJpeg {
  /** The same image as a progressive JPEG, or the input unchanged when that cannot be done. */
  convert(jpeg: Buffer): Promise<ProgressiveResult>;
}

export interface ProgressiveJpegOptions {
  readonly logger: Logger;
  /** `JPEGTRAN_PATH`; a bare name is looked up on PATH. */
  readonly path?: string;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
}

export const JPEGTRAN_ARGS = ['-progressive', '-optimize', '-copy', 'none'] as const;

type Failure = 'missing' | 'failed' | 'timeout' | 'invalid-output';
type Outcome = { ok: true; bytes: Buffer } | { ok: false; reason: Failure; code?: number | null; detail?: string };

export function createProgressiveJpeg(o: ProgressiveJpegOptions): ProgressiveJpeg {
  const path = o.path ?? 'jpegtran';
  const limit = Math.max(1, o.concurrency ?? 2);
  const timeoutMs = o.timeoutMs ?? 15_000;
  const logged = new Set<Failure>();
  let missing = false;

  // A slot is handed straight from a finishing job to the next waiter, so no late arrival can
  // slip in between and exceed the limit.
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (active < limit) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  function run(input: Buffer): Promise<Outcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (v: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(v);
      };
      const child = spawn(path, JPEGTRAN_ARGS, { stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
      // Lossless progressive output is about the input's size; far more means something is wrong.
      const maxOut = input.length * 2 + 65_536;
      const out: Buffer[] = [];
      let outLen = 0;
      let stderr = '';
      let timedOut = false;
      let overflow = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (e: NodeJS.ErrnoException) => {
        settle({ ok: false, reason: e.code === 'ENOENT' || e.code === 'EACCES' ? 'missing' : 'failed', detail: e.code ?? e.name });
      });
      child.stdout.on('data', (c: Buffer) => {
        outLen += c.length;
        if (outLen > maxOut) {
          overflow = true;
          child.kill('SIGKILL');
        } else out.push(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 300) stderr += c.toString('utf8');
      });
      // jpegtran may exit before reading all of a bad input: EPIPE here is reported by 'close'.
      child.stdin.on('error', () => {});
      child.on('close', (code) => {
        if (timedOut) return settle({ ok: false, reason: 'timeout' });
        if (overflow) return settle({ ok: false, reason: 'invalid-output', detail: 'output too large' });
        if (code !== 0) return settle({ ok: false, reason: 'failed', code, detail: stderr.trim().slice(0, 200) });
        settle({ ok: true, bytes: Buffer.concat(out, outLen) });
      });
      child.stdin.end(input);
    });
  }

  function fallback(input: Buffer, f: Extract<Outcome, { ok: false }>): ProgressiveResult {
    if (f.reason === 'missing') missing = true;
    if (!logged.has(f.reason)) {
      logged.add(f.reason);
      o.logger.warn('progressive JPEG: serving baseline', {
        reason: f.reason,
        ...(f.reason === 'missing' ? { jpegtran: path } : {}),
        ...(f.code !== undefined ? { exitCode: f.code } : {}),
        ...(f.detail ? { detail: f.detail } : {}),
      });
    }
    return { bytes: input, progressive: false, transient: f.reason === 'timeout' };
  }

  return {
    async convert(input) {
      const markers = jpegMarkers(input);
      if (markers.includes(SOF2)) return { bytes: input, progressive: true, transient: false };
      // Only Huffman sequential images have a progressive form browsers show; anything else as is.
      if (!markers.includes(SOF0) && !markers.includes(SOF1)) return { bytes: input, progressive: false, transient: false };
      if (missing) return { bytes: input, progressive: false, transient: false };
      await acquire();
      let outcome: Outcome;
      try {
        outcome = await run(input);
      } finally {
        release();
      }
      if (!outcome.ok) return fallback(input, outcome);
      const got = jpegMarkers(outcome.bytes);
      if (!got.includes(SOF2) || got.includes(SOF0) || got.at(-1) !== 0xd9) return fallback(input, { ok: false, reason: 'invalid-output', detail: 'not a progressive JPEG' });
      return { bytes: outcome.bytes, progressive: true, transient: false };
    },
  };
}
