/**
 * UIDs the desk creates (corrected copies, new series and studies, rejection notes): the
 * UUID-derived form `2.25.<128-bit integer>` (PS3.5 §B.2), which needs no registered root.
 */
import { randomBytes } from 'node:crypto';

export function newUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10)}`;
}
