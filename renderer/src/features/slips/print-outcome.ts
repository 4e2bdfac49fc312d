/**
 * What the operator is told after pressing "In". A thermal printer cannot always say whether the
 * paper came out, and printing again after a timeout prints twice, so the desk never retries on
 * its own: it sorts every answer into one of four outcomes and words each as an instruction.
 *
 *   printed           the printer confirmed the job (network printers answering GS r 1)
 *   sent-unconfirmed  the bytes reached the printer, which confirms nothing: look at the paper
 *   may-have-printed  it failed after the job may have left (a timeout, or the core kept the new
 *                     slip active because bytes went out): look; if nothing came out, reprint
 *                     with a reason — the old token is then revoked
 *   not-printed       it surely did not leave (offline, no paper, not configured): fix and print
 *
 * The core knows which failures kept the new slip active; the renderer learns it by comparing the
 * visit's active slips before and after the attempt, so it needs no extra field on the wire.
 */
import type { ErrorCode } from '../../../../shared/errors';
import type { MethodOutput } from '../../../../shared/contract';
import type { SlipSummary } from '../../../../shared/contract/slips';

export type PrintedSlip = MethodOutput<'slips.print'>;

export type PrintOutcome =
  | { readonly kind: 'printed' | 'sent-unconfirmed'; readonly slip: PrintedSlip }
  | { readonly kind: 'may-have-printed' | 'not-printed'; readonly error: unknown };

export function outcomeOfPrint(slip: PrintedSlip): PrintOutcome {
  return { kind: slip.confirmed ? 'printed' : 'sent-unconfirmed', slip };
}

/**
 * Failures after which bytes may have reached the paper, when the slip list cannot tell: the
 * printer's own errors, and losing the core mid-call (the print may have run).
 */
const MAYBE_SENT: ReadonlySet<string> = new Set<ErrorCode>(['PRINTER_TIMEOUT', 'PRINTER_ERROR', 'DESK_UNREACHABLE', 'INTERNAL']);

/**
 * @param code the error's code (undefined for something that is not a DeskCallError)
 * @param activeBefore ids of the visit's active slips before the attempt
 * @param after the visit's slips after the attempt, or null when they could not be read
 */
export function outcomeOfFailure(error: unknown, code: string | undefined, activeBefore: ReadonlySet<string>, after: readonly SlipSummary[] | null): PrintOutcome {
  if (code === 'PRINTER_TIMEOUT') return { kind: 'may-have-printed', error };
  if (after === null) return { kind: code === undefined || MAYBE_SENT.has(code) ? 'may-have-printed' : 'not-printed', error };
  const newActive = after.some((s) => s.status === 'active' && !activeBefore.has(s.slipId));
  return { kind: newActive ? 'may-have-printed' : 'not-printed', error };
}
