/**
 * The shape every capability's handlers take. `HandlerTable` maps every contract method to its
 * handler, so a method declared in the contract without a handler does not compile.
 */
import type { HandlerInput, MethodName, MethodOutput, EventName, EventPayload } from '../../shared/contract';
import type { Operator } from '../../shared/contract/foundation';

export interface AuditSubject {
  /** Who acted, for calls made before anyone is signed in (operators.signIn). */
  operatorId?: string;
  patientID?: string | null;
  studyInstanceUID?: string | null;
  /** Small, structured facts about the action (ids, old → new values). Never a token. */
  detail?: Record<string, unknown>;
}

export interface CallContext {
  readonly deskId: string;
  /** Who is working; null only for the contract's public methods. */
  readonly operator: Operator | null;
  /** Names what the call touched, for its audit record. May be called more than once (merged). */
  audit(subject: AuditSubject): void;
}

export type Handler<M extends MethodName> = (
  input: HandlerInput<M>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type HandlerTable = { readonly [M in MethodName]: Handler<M> };

/** A capability's part of the table. */
export type Handlers<M extends MethodName> = { readonly [K in M]: Handler<K> };

export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}
