/**
 * One line on the slip printer: not configured, unreachable, out of paper, paper low, ready. It
 * asks when shown and when the operator presses "Kiểm tra lại" — never on a timer, since every
 * check opens a connection to the printer.
 */
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { printerStatusSchema } from '../../../../shared/contract/slips';
import { ErrorBox } from '../../app/error-text';
import { useDeskQuery } from '../../lib/query';

type PrinterStatus = z.output<typeof printerStatusSchema>;
type Tone = 'ok' | 'warn' | 'bad' | 'idle';

export function printerState(s: PrinterStatus): { key: string; tone: Tone } {
  if (!s.configured) return { key: 'notConfigured', tone: 'warn' };
  if (!s.reachable) return { key: 'unreachable', tone: 'bad' };
  if (s.paper === 'out') return { key: 'paperOut', tone: 'bad' };
  if (s.paper === 'near-end') return { key: 'paperLow', tone: 'warn' };
  return { key: s.answered ? 'ready' : 'reachable', tone: 'ok' };
}

export function PrinterStatusLine() {
  const { t } = useTranslation();
  const status = useDeskQuery('printer.status', {}, { staleTime: 30_000, refetchOnWindowFocus: false });
  const state = status.data ? printerState(status.data) : null;
  return (
    <div className="printer-status" data-testid="printer-status">
      <span>{t('slips.printer.label')}:</span>
      {status.isFetching && !state && <span className="pill pill-idle">{t('slips.printer.checking')}</span>}
      {state && (
        <span className={`pill pill-${state.tone}`} data-state={state.key} role="status">
          {t(`slips.printer.${state.key}`)}
        </span>
      )}
      <button type="button" className="button-small" onClick={() => void status.refetch()} disabled={status.isFetching}>
        {status.isFetching ? t('slips.printer.checking') : t('slips.printer.recheck')}
      </button>
      {status.isError && <ErrorBox error={status.error} />}
    </div>
  );
}
