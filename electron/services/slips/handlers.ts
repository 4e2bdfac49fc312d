/** Handlers for the slips slice: result slips and the printer they go to. */
import type { CallContext, Handlers } from '../../core/handler-types';
import type { SlipCaller, SlipsService } from './slips-service';

type SlipsMethod = 'slips.preview' | 'slips.print' | 'slips.reprint' | 'slips.list' | 'slips.revoke' | 'printer.testPage' | 'printer.status';

export interface SlipsHandlerDeps {
  slips: SlipsService;
}

/** The operator, and the audit hook: the patient goes into the call's audit record, never the token. */
function caller(ctx: CallContext): SlipCaller {
  return {
    operatorId: ctx.operator?.id ?? null,
    operatorName: ctx.operator?.name ?? null,
    audit: (subject) => ctx.audit(subject),
  };
}

export function createSlipsHandlers({ slips }: SlipsHandlerDeps): Handlers<SlipsMethod> {
  return {
    'slips.preview': ({ visitId }, ctx) => slips.preview(visitId, caller(ctx)),
    'slips.print': ({ visitId }, ctx) => slips.print(visitId, caller(ctx)),
    'slips.reprint': (input, ctx) => {
      const target = 'slipId' in input ? { slipId: input.slipId } : { visitId: input.visitId };
      return slips.reprint(target, input.reason, caller(ctx));
    },
    'slips.list': ({ visitId, limit }) => ({ items: slips.list({ visitId, limit }) }),
    'slips.revoke': ({ slipId, reason }, ctx) => slips.revoke(slipId, reason, caller(ctx)),
    'printer.testPage': () => slips.testPage(),
    'printer.status': () => slips.printerStatus(),
  };
}
