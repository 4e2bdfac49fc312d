/**
 * Reads a STOW-RS response (PS3.18 §10.5.3, DICOM JSON per PS3.18 §F.2) into one outcome per
 * instance we sent. The HTTP status alone is not enough: 200 means all stored, 202 some, 400 none
 * or "bad request" — and Orthanc answers 400 to a mixed request yet stores the good instances and
 * lists them. So every instance is judged by the lists first and by the status only when unlisted.
 */
import type { ErrorInfo, InstanceOutcome } from './pacs-client';

const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';
const WARNING_REASON = '00081196';

export interface StowLists {
  readonly stored: ReadonlyMap<string, number | null>;
  readonly failed: ReadonlyMap<string, number | null>;
}

type JsonElement = { vr?: string; Value?: unknown[] };
type JsonDataset = Record<string, JsonElement | undefined>;

function items(ds: JsonDataset, tag: string): JsonDataset[] {
  const v = ds[tag]?.Value;
  return Array.isArray(v) ? v.filter((x): x is JsonDataset => typeof x === 'object' && x !== null) : [];
}

function firstString(ds: JsonDataset, tag: string): string | null {
  const v = ds[tag]?.Value?.[0];
  return typeof v === 'string' ? v : null;
}

function firstNumber(ds: JsonDataset, tag: string): number | null {
  const v = ds[tag]?.Value?.[0];
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

/** Parses the response body; anything that is not a DICOM JSON dataset gives empty lists. */
export function parseStowResponse(body: string): StowLists {
  const stored = new Map<string, number | null>();
  const failed = new Map<string, number | null>();
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? null : JSON.parse(body);
  } catch {
    return { stored, failed };
  }
  // Some servers wrap the single response dataset in an array.
  const ds = (Array.isArray(parsed) ? parsed[0] : parsed) as JsonDataset | null | undefined;
  if (typeof ds !== 'object' || ds === null) return { stored, failed };
  for (const item of items(ds, REFERENCED_SOP_SEQUENCE)) {
    const uid = firstString(item, REFERENCED_SOP_INSTANCE_UID);
    if (uid) stored.set(uid, firstNumber(item, WARNING_REASON));
  }
  for (const item of items(ds, FAILED_SOP_SEQUENCE)) {
    const uid = firstString(item, REFERENCED_SOP_INSTANCE_UID);
    if (uid && !stored.has(uid)) failed.set(uid, firstNumber(item, FAILURE_REASON));
  }
  return { stored, failed };
}

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/**
 * FailureReason codes (PS3.4 Annex B.2.3, C-STORE statuses, reused by PS3.18 §10.5.3):
 * A7xx out of resources and 0110 processing failure may pass on a later try; Cxxx cannot understand,
 * A9xx data set does not match SOP class, 0122 SOP class not supported, 0124 not authorized, and
 * anything unknown will not change by sending the same bytes again.
 */
export function failureIsRetryable(reason: number | null): boolean {
  if (reason === null) return false;
  return (reason & 0xff00) === 0xa700 || reason === 0x0110;
}

export function failureDetail(reason: number | null): string {
  if (reason === null) return 'no reason given';
  const names: Array<[(r: number) => boolean, string]> = [
    [(r) => (r & 0xff00) === 0xa700, 'out of resources'],
    [(r) => (r & 0xff00) === 0xa900, 'data set does not match SOP class'],
    [(r) => (r & 0xf000) === 0xc000, 'cannot understand'],
    [(r) => r === 0x0110, 'processing failure'],
    [(r) => r === 0x0122, 'SOP class not supported'],
    [(r) => r === 0x0124, 'not authorized'],
  ];
  const name = names.find(([test]) => test(reason))?.[1] ?? 'failure';
  return `${hex(reason)} ${name}`;
}

/**
 * One outcome per instance sent. Unlisted instances are judged by the status: after a 2xx the PACS
 * did not confirm them (send again, bounded by the attempt budget); after 400/409/413/422 and other
 * final 4xx the PACS refused them (permanent).
 */
export function outcomesFor(sent: readonly string[], lists: StowLists, httpStatus: number): Map<string, InstanceOutcome> {
  const out = new Map<string, InstanceOutcome>();
  for (const uid of sent) {
    if (lists.stored.has(uid)) {
      out.set(uid, { kind: 'stored', warningReason: lists.stored.get(uid) ?? null });
    } else if (lists.failed.has(uid)) {
      const reason = lists.failed.get(uid) ?? null;
      const error: ErrorInfo = { code: 'PACS_REJECTED', params: { detail: failureDetail(reason) } };
      out.set(uid, { kind: 'failed', listed: true, retryable: failureIsRetryable(reason), failureReason: reason, error });
    } else if (httpStatus >= 200 && httpStatus < 300) {
      out.set(uid, { kind: 'failed', listed: false, retryable: true, failureReason: null, error: { code: 'PACS_NOT_ACKNOWLEDGED', params: {} } });
    } else {
      out.set(uid, {
        kind: 'failed',
        listed: false,
        retryable: false,
        failureReason: null,
        error: { code: 'PACS_REJECTED', params: { detail: `HTTP ${httpStatus}` } },
      });
    }
  }
  return out;
}
