/**
 * HTTP answer headers for an instance's bytes, shared by the bridge route and the Electron
 * protocol so both transports behave the same for the viewer.
 *
 * The media type is `application/dicom` with its `transfer-syntax` parameter (PS3.18 §8.7.3.5.2).
 * The viewer asks for `…/instances/{id}?v={revision}` (image-revision.ts): such a URL names one
 * version of the bytes for good, so the answer is cacheable for a long time, `immutable` — but
 * only privately: it is patient data. A URL without `v` may serve other bytes tomorrow (the study
 * gets attached to a visit), so its answer must be revalidated (`no-cache`, with the ETag). A `v`
 * that is no longer the instance's revision is answered 404: serving today's bytes under
 * yesterday's name would poison both caches.
 */
import type { InstanceFile } from './open-instance-bytes';

export const IMAGE_CACHE_CONTROL = 'private, max-age=31536000, immutable';
export const UNVERSIONED_CACHE_CONTROL = 'private, no-cache';

/** What the request's `v` says about the file it would get. */
export type Version = 'current' | 'unversioned' | 'stale';

/** `v` from the request URL's query, against the file's revision. */
export function versionOf(search: URLSearchParams, file: InstanceFile): Version {
  const v = search.get('v');
  if (v === null) return 'unversioned';
  return v === file.revision ? 'current' : 'stale';
}

export function instanceHeaders(file: InstanceFile, version: Exclude<Version, 'stale'>): Record<string, string> {
  return {
    'Content-Type': `application/dicom; transfer-syntax=${file.transferSyntaxUID}`,
    'Content-Length': String(file.size),
    'Cache-Control': version === 'current' ? IMAGE_CACHE_CONTROL : UNVERSIONED_CACHE_CONTROL,
    ETag: etagOf(file),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

export function etagOf(file: InstanceFile): string {
  return file.etag;
}

/** If-None-Match naming this ETag (or `*`): the client already holds the bytes. */
export function notModified(ifNoneMatch: string | null | undefined, file: InstanceFile): boolean {
  if (!ifNoneMatch) return false;
  const tag = etagOf(file);
  return ifNoneMatch.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === tag;
  });
}

/** `/files/instances/42` or `desk-image://instances/42` → 42; null for anything else. */
export function parseInstanceId(text: string): number | null {
  if (!/^[1-9][0-9]{0,14}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
