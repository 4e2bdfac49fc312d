/**
 * How one contract method is declared. Every method is `area.verb` with a zod input and output
 * schema; dispatch validates both sides, so a handler can trust its input and the renderer can
 * trust what comes back.
 */
import type { z } from 'zod';

export type AuditKind =
  /** Touches patient data: every call is audited with its outcome. */
  | 'patient'
  /** Changes configuration or who may work: audited. */
  | 'admin';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** When set, dispatch appends an audit record for every call, success or failure. */
  readonly audit?: AuditKind;
  /** Callable before anyone has chosen who is working (the sign-in screen needs these). */
  readonly public?: boolean;
  /** Only an operator with the admin role may call it. */
  readonly adminOnly?: boolean;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}
