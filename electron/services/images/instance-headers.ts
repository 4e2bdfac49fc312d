/**
 * HTTP answer headers for an instance's bytes, shared by the bridge route and the Electron
 * protocol so both transports behave the same for the viewer.
 *
 * The media type is `application/dicom` with its `transfer-syntax` parameter (PS3.18 §8.7.3.5.2).
 * Stored instance bytes never change (a change gets a new SOPInstanceUID, hence a new row), so
 * the answer is cacheable for a long time — but only privately: it is patient data.
 */
import type { InstanceFile } from './open-instance-bytes';

export const IMAGE_CACHE_CONTROL = 'private, max-age=31536000, immutable';

export function instanceHeaders(file: InstanceFile): Record<string, string> {
  return {
    'Content-Type': `application/dicom; transfer-syntax=${file.transferSyntaxUID}`,
    'Content-Length': String(file.size),
    'Cache-Control': IMAGE_CACHE_CONTROL,
    ETag: etagOf(file),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

export function etagOf(file: InstanceFile): string {
  return `"${file.sha256}"`;
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
