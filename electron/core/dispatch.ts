/**
 * The one entry point behind Electron IPC, the loopback bridge and the tests:
 * method name → operator check → input schema → handler → output schema → audit record.
 * Errors leave as the contract's closed union; unexpected exceptions become INTERNAL with a
 * reference, and their text stays in the log.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { contract, isMethodName, type MethodName, type MethodOutput } from '../../shared/contract';
import type { MethodSpec } from '../../shared/contract/define';
import { DeskError, isDeskError, type DeskErrorShape } from '../../shared/errors';
import type { Operator } from '../../shared/contract/foundation';
import type { AuditSubject, CallContext, HandlerTable } from './handler-types';
import type { AuditLog } from '../services/audit/audit-log';
import type { Operators } from '../services/operators/operators';
import type { Logger } from '../services/logger';

export type DispatchResult<T = unknown> = { ok: true; value: T } | { ok: false; error: DeskErrorShape };

/** Who is calling: the operator chosen in the UI and, for operators with a PIN, their session. */
export interface Caller {
  operatorId?: string | undefined;
  session?: string | undefined;
}

export type Dispatch = {
  <M extends MethodName>(method: M, input: unknown, caller?: Caller): Promise<DispatchResult<MethodOutput<M>>>;
  (method: string, input: unknown, caller?: Caller): Promise<DispatchResult>;
};

export interface DispatcherDeps {
  handlers: HandlerTable;
  operators: Operators;
  audit: AuditLog;
  deskId: string;
  logger: Logger;
}

export function createDispatcher({ handlers, operators, audit, deskId, logger }: DispatcherDeps): Dispatch {
  return (async (method: string, input: unknown, caller: Caller = {}): Promise<DispatchResult> => {
    if (!isMethodName(method)) return fail(new DeskError('UNKNOWN_METHOD', { method: method.slice(0, 64) }));
    const spec: MethodSpec = contract[method];
    let operator: Operator | null = null;
    const subject: AuditSubject = {};
    try {
      operator = resolveOperator(spec, caller, operators);
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) throw zodToDeskError(parsed.error);
      const ctx: CallContext = {
        deskId,
        operator,
        audit(s) {
          if (s.operatorId !== undefined) subject.operatorId = s.operatorId;
          if (s.patientID !== undefined) subject.patientID = s.patientID;
          if (s.studyInstanceUID !== undefined) subject.studyInstanceUID = s.studyInstanceUID;
          if (s.detail) subject.detail = { ...subject.detail, ...s.detail };
        },
      };
      const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
      const raw = await handler(parsed.data, ctx);
      const out = spec.output.safeParse(raw);
      if (!out.success) {
        logger.error('handler output failed its schema', { method, issue: out.error.issues[0]?.path.join('.') ?? '' });
        throw new Error(`output of ${method} does not match the contract`);
      }
      if (spec.audit) audit.append({ ...subject, operatorId: operator?.id ?? subject.operatorId ?? null, action: method, outcome: 'ok' });
      return { ok: true, value: out.data };
    } catch (e) {
      const err = isDeskError(e) ? e : internal(e, method, logger);
      if (spec.audit || err.code === 'PIN_WRONG') {
        audit.append({
          ...subject,
          operatorId: operator?.id ?? subject.operatorId ?? caller.operatorId ?? null,
          action: method,
          outcome: 'error',
          detail: { ...subject.detail, error: err.code },
        });
      }
      return fail(err);
    }
  }) as Dispatch;
}

function resolveOperator(spec: MethodSpec, caller: Caller, operators: Operators): Operator | null {
  if (!caller.operatorId) {
    if (spec.public) return null;
    throw new DeskError('OPERATOR_REQUIRED');
  }
  const op = operators.resolve(caller.operatorId, caller.session);
  if (spec.adminOnly && op.role !== 'admin') throw new DeskError('FORBIDDEN');
  return op;
}

/** The first issue names the field; its message is the schema's own (bilingual where written so). */
export function zodToDeskError(error: z.ZodError): DeskError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
  return new DeskError('VALIDATION', { field, detail: issue?.message ?? 'invalid' }, { field });
}

function internal(e: unknown, method: string, logger: Logger): DeskError {
  const ref = randomBytes(4).toString('hex');
  logger.error('unexpected error in handler', { method, ref, error: e instanceof Error ? e.message : String(e) });
  return new DeskError('INTERNAL', { ref }, { cause: e });
}

function fail(e: DeskError): DispatchResult {
  return { ok: false, error: e.toShape() };
}
