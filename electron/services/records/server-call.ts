/**
 * One JSON call to the clinic server with the desk's API key, as the records push and the
 * revocation pull both make it: a timeout, and every way it can fail folded into one error code
 * the operator can act on (unreachable, wrong key, the server misbehaving).
 */
import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/error-messages';

export class ServerCallFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

export interface ServerCall<T> {
  readonly url: string;
  readonly apiKey: string;
  readonly path: string;
  readonly init?: { method: 'POST'; body: string };
  readonly schema: z.ZodType<T>;
  readonly timeoutMs: number;
}

export async function callServer<T>(doFetch: typeof fetch, c: ServerCall<T>): Promise<T> {
  let res: Response;
  try {
    res = await doFetch(`${c.url.replace(/\/+$/, '')}${c.path}`, {
      ...(c.init ?? {}),
      headers: { accept: 'application/json', authorization: `Bearer ${c.apiKey}`, ...(c.init ? { 'content-type': 'application/json' } : {}) },
      signal: AbortSignal.timeout(c.timeoutMs),
    });
  } catch {
    throw new ServerCallFailure('SERVER_UNREACHABLE');
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new ServerCallFailure('SERVER_AUTH');
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new ServerCallFailure('SERVER_FAILED', { status: res.status });
  }
  let parsed;
  try {
    parsed = c.schema.safeParse(await res.json());
  } catch {
    throw new ServerCallFailure('SERVER_FAILED', { status: 'JSON' });
  }
  if (!parsed.success) throw new ServerCallFailure('SERVER_FAILED', { status: 'schema' });
  return parsed.data;
}
