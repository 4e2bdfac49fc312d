/**
 * How a failed call reaches the UI: a `DeskCallError` carrying the core's bilingual error shape
 * (`shared/errors.ts`). Both transports unwrap the same `{ok, value | error}` envelope here, so a
 * feature handles one error type whatever carried the call.
 */
import { DeskError, type DeskErrorShape, type ErrorCode, type ErrorParams } from '../../../shared/errors';

export class DeskCallError extends Error {
  readonly error: DeskErrorShape;

  constructor(error: DeskErrorShape) {
    super(error.message);
    this.name = 'DeskCallError';
    this.error = error;
  }

  get code(): ErrorCode {
    return this.error.code;
  }

  get field(): string | undefined {
    return this.error.field;
  }
}

/** A DeskCallError made on this side of the wire (transport failures, malformed answers). */
export function localCallError(code: ErrorCode, params: ErrorParams = {}): DeskCallError {
  return new DeskCallError(new DeskError(code, params).toShape());
}

/** The envelope both transports answer with. */
export type DeskEnvelope = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Whether an answer is a well-formed envelope (a shape check of the wire, not a validation). */
export function isEnvelope(x: unknown): x is DeskEnvelope {
  if (typeof x !== 'object' || x === null || !('ok' in x)) return false;
  if (x.ok === true) return 'value' in x;
  return x.ok === false && 'error' in x && isErrorShape(x.error);
}

/** Returns the envelope's value or throws its DeskCallError; anything else is a broken answer. */
export function unwrapEnvelope(envelope: unknown, method: string): unknown {
  if (!isEnvelope(envelope)) throw localCallError('INTERNAL', { ref: `bad-answer:${method}` });
  if (envelope.ok) return envelope.value;
  throw new DeskCallError(envelope.error as DeskErrorShape);
}

function isErrorShape(e: unknown): e is DeskErrorShape {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message, messages } = e as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return false;
  if (typeof messages !== 'object' || messages === null) return false;
  const { vi, en } = messages as Record<string, unknown>;
  return typeof vi === 'string' && typeof en === 'string';
}

/** For `callOptional`: a method this build does not have answers `undefined` instead of failing. */
export async function undefinedIfUnknownMethod(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof DeskCallError && e.code === 'UNKNOWN_METHOD') return undefined;
    throw e;
  }
}
