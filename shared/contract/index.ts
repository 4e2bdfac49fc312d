/**
 * The one contract between the renderer and the desk core. Each capability declares its slice in
 * its own file; this file joins them. The Electron IPC, the loopback bridge and the tests all speak
 * exactly these names and schemas.
 */
import type { z } from 'zod';
import { foundationEvents, foundationMethods } from './foundation';
import { ingestEvents, ingestMethods } from './ingest';
import { reviewEvents, reviewMethods } from './review';
import { filmEvents, filmMethods } from './film';
import { slipsEvents, slipsMethods } from './slips';
import { recordsEvents, recordsMethods } from './records';
import { visitsEvents, visitsMethods } from './visits';
import { syncEvents, syncMethods } from './sync';

export const contract = {
  ...foundationMethods,
  ...ingestMethods,
  ...reviewMethods,
  ...filmMethods,
  ...slipsMethods,
  ...recordsMethods,
  ...visitsMethods,
  ...syncMethods,
} as const;

export const events = {
  ...foundationEvents,
  ...ingestEvents,
  ...reviewEvents,
  ...filmEvents,
  ...slipsEvents,
  ...recordsEvents,
  ...visitsEvents,
  ...syncEvents,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller sends (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (validated, defaults applied). */
export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;
/** What a caller receives. */
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

export { method, type MethodSpec } from './define';
