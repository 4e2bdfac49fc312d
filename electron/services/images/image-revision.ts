/**
 * Which bytes the desk serves for an instance, as a short revision for the viewer's image URL and a
 * strong ETag for HTTP caching.
 *
 * An instance's bytes change once in its life on the desk: attaching its study to a visit writes a
 * corrected copy (`instances.send_path`, tags coerced, PS3.3 C.12.1.1.9) that the viewer must show
 * instead of the file as received — and attaching again (another visit, a late image) writes a new
 * copy, detaching removes it. The image URL is cached `immutable` by the browser and by
 * Cornerstone3D (keyed by imageId), so the URL itself must name the bytes: `?v=<revision>`.
 *
 * - As received: the file's own SHA-256 (`instances.sha256`).
 * - Corrected copy: a hash of its store path. Copies are written once under a fresh random name
 *   (visits/stored-files.ts) and never rewritten in place, so the path names one content for good;
 *   hashing it saves reading a 15 MB file on every request (the copy's SHA-256 is not recorded).
 */
import { createHash } from 'node:crypto';

/** 64 bits: enough to tell the few versions of one instance apart, short enough for a URL. */
const REVISION_HEX = 16;

/** The served bytes' identity, 64 hex digits. */
export function servedIdentity(sha256: string, sendPath: string | null): string {
  return sendPath === null ? sha256 : createHash('sha256').update(`corrected-copy\0${sendPath}`).digest('hex');
}

/** The revision the image URL carries (`?v=`); changes whenever the served file does. */
export function imageRevision(sha256: string, sendPath: string | null): string {
  return servedIdentity(sha256, sendPath).slice(0, REVISION_HEX);
}
