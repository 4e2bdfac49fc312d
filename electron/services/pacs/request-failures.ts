/**
 * Turns what went wrong with a request into one of the PACS_* errors the operator can act on.
 * Everything here is about the connection, not the instances: such a request is tried again
 * later (offline backoff), and the instances it carried keep their place in the queue.
 */
import { PacsRequestError } from './pacs-client';

/** A request that saw no byte for this long (socket idle) is abandoned. */
export class RequestTimeoutError extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeoutError';
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : '';
}

export function isTlsError(err: unknown): boolean {
  const code = errorCode(err);
  return TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/** A failure before any HTTP status: timeout, TLS, or the network. */
export function transportFailure(err: unknown, url: string, timeoutMs: number): PacsRequestError {
  if (err instanceof PacsRequestError) return err;
  if (err instanceof RequestTimeoutError) return new PacsRequestError('PACS_TIMEOUT', { seconds: Math.round(timeoutMs / 1000) }, { cause: err });
  if (isTlsError(err)) return new PacsRequestError('PACS_TLS', { detail: errorCode(err) }, { cause: err });
  return new PacsRequestError('PACS_UNREACHABLE', { url }, { cause: err });
}

/**
 * The HTTP statuses that say nothing about the instances (PS3.18 §8.5 and RFC 9110):
 * 401/403 credentials; 3xx, 404, 405, 406, 415, 501 not a DICOMweb root we can use; 408 timeout;
 * 429 and 5xx the server is busy or broken. Null for the statuses that do concern the instances.
 */
export function statusFailure(status: number, url: string, timeoutMs: number, stored?: ReadonlySet<string>): PacsRequestError | null {
  const opts = { httpStatus: status, ...(stored ? { stored } : {}) };
  if (status === 401 || status === 403) return new PacsRequestError('PACS_AUTH', {}, opts);
  if ((status >= 300 && status < 400) || [404, 405, 406, 415, 501].includes(status)) return new PacsRequestError('PACS_NOT_DICOMWEB', { url }, opts);
  if (status === 408) return new PacsRequestError('PACS_TIMEOUT', { seconds: Math.round(timeoutMs / 1000) }, opts);
  if (status === 429 || status >= 500) return new PacsRequestError('PACS_SERVER_ERROR', { status }, opts);
  return null;
}
