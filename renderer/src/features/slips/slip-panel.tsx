/**
 * Phiếu kết quả (QR) of one visit: "In phiếu QR" opens the preview, "In" prints once and says
 * what happened (print-outcome.ts) — never printing again by itself. A visit whose slip is still
 * valid gets "In lại phiếu" instead, which needs a reason and revokes the old token once the new
 * slip went to the printer. The visit's slips are listed with reprint and revoke.
 *
 *   idle ──In phiếu QR / In lại──▶ preview ──In──▶ printing ──▶ outcome (idle again)
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox, useErrorText } from '../../app/error-text';
import { DeskCallError } from '../../lib/desk-call-error';
import { formatDate } from '../../lib/format';
import { deskQueryKey, useDeskClient, useDeskQuery } from '../../lib/query';
import { outcomeOfFailure, outcomeOfPrint, type PrintOutcome } from './print-outcome';
import { PrinterStatusLine } from './printer-status-line';
import './slips.css';
import { SlipList } from './slip-list';
import { SlipPreview } from './slip-preview';

/** What the print button will do: a first slip, or a new one replacing `slipId` (or all the visit's). */
type Mode = { kind: 'print' } | { kind: 'reprint'; slipId?: string };

const AFTER_PRINT = ['slips.list', 'visits.get', 'visits.list', 'printer.status'] as const;

export function SlipPanel({ visitId, hasImages, disabled }: { visitId: string; hasImages: boolean; disabled: boolean }) {
  const { t } = useTranslation();
  const client = useDeskClient();
  const queryClient = useQueryClient();
  const slips = useDeskQuery('slips.list', { visitId });
  const [mode, setMode] = useState<Mode | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PrintOutcome | null>(null);
  const active = (slips.data?.items ?? []).filter((s) => s.status === 'active');

  const open = (next: Mode) => {
    setOutcome(null);
    setReason('');
    setMode(next);
  };

  const print = async (m: Mode) => {
    setBusy(true);
    const before = new Set(active.map((s) => s.slipId));
    try {
      const slip =
        m.kind === 'print'
          ? await client.call('slips.print', { visitId })
          : await client.call('slips.reprint', m.slipId ? { slipId: m.slipId, reason } : { visitId, reason });
      setOutcome(outcomeOfPrint(slip));
      setMode(null);
    } catch (e) {
      const code = e instanceof DeskCallError ? e.code : undefined;
      if (code === 'VALIDATION') {
        // The reason was refused: nothing was issued; stay on the form with the message.
        setOutcome({ kind: 'not-printed', error: e });
      } else {
        const after = await client.call('slips.list', { visitId }).then((r) => r.items, () => null);
        setOutcome(outcomeOfFailure(e, code, before, after));
        setMode(null);
      }
    } finally {
      setBusy(false);
      for (const method of AFTER_PRINT) void queryClient.invalidateQueries({ queryKey: deskQueryKey(method) });
    }
  };

  const reprinting = mode?.kind === 'reprint';
  return (
    <section className="panel slip-panel" aria-labelledby="slip-panel-title">
      <h2 id="slip-panel-title">{t('slips.title')}</h2>
      <PrinterStatusLine />
      {!hasImages && <p className="field-help">{t('slips.noImagesYet')}</p>}

      {!mode && (
        <div className="actions">
          {active.length === 0 ? (
            <button type="button" className="button-primary" disabled={disabled || !slips.data} onClick={() => open({ kind: 'print' })}>
              {t('slips.printQr')}
            </button>
          ) : (
            <button type="button" className="button-primary" disabled={disabled} onClick={() => open({ kind: 'reprint' })}>
              {t('slips.reprintQr')}
            </button>
          )}
        </div>
      )}

      {outcome && <OutcomeBox outcome={outcome} />}

      {mode && (
        <form
          className="slip-print-form"
          aria-label={t(reprinting ? 'slips.reprintQr' : 'slips.printQr')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void print(mode);
          }}
        >
          {reprinting && (
            <div className="field">
              <label htmlFor="slip-reprint-reason">{t('slips.reason')}</label>
              <input id="slip-reprint-reason" type="text" autoFocus required minLength={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
              <p className="field-help">{t('slips.reprintHelp')}</p>
            </div>
          )}
          {/* The buttons above the preview: the slip is long, and the operator should not scroll to print. */}
          <div className="actions">
            <button type="submit" className="button-primary" disabled={busy || (reprinting && reason.trim().length < 3)} data-testid="slip-print">
              {busy ? t('slips.printing') : t(reprinting ? 'slips.doReprint' : 'slips.doPrint')}
            </button>
            <button type="button" disabled={busy} onClick={() => setMode(null)}>
              {t('slips.close')}
            </button>
          </div>
          <SlipPreview visitId={visitId} />
        </form>
      )}

      {slips.isError && <ErrorBox error={slips.error} />}
      {slips.data && slips.data.items.length > 0 && <SlipList slips={slips.data.items} onReprint={(slipId) => open({ kind: 'reprint', slipId })} busy={busy || mode !== null} />}
    </section>
  );
}

function OutcomeBox({ outcome }: { outcome: PrintOutcome }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if ('slip' in outcome) {
    const { slip } = outcome;
    const details = t('slips.outcome.details', { code: slip.lookupCode, expires: formatDate(slip.expiresAt) });
    return (
      <div className={`alert ${outcome.kind === 'printed' ? 'alert-ok' : 'alert-warn'}`} role="status" data-testid="print-outcome" data-outcome={outcome.kind}>
        <p className="outcome-title">{t(`slips.outcome.${outcome.kind}`)}</p>
        <p>{details}</p>
        {slip.paper === 'near-end' && <p>{t('slips.outcome.paperLow')}</p>}
      </div>
    );
  }
  return (
    <div className={`alert ${outcome.kind === 'may-have-printed' ? 'alert-warn' : 'alert-error'}`} role="alert" data-testid="print-outcome" data-outcome={outcome.kind}>
      <p className="outcome-title">{t(`slips.outcome.${outcome.kind}`)}</p>
      <p>{errorText(outcome.error)}</p>
      {outcome.kind === 'may-have-printed' && <p>{t('slips.outcome.checkThenReprint')}</p>}
    </div>
  );
}
