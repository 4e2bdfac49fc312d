/**
 * The printer's corner of Settings: its status and "In trang thử / Print test page" — a page
 * with no patient data that shows width, darkness, cutting and a QR to scan. It prints with the
 * saved settings, so unsaved printer changes are pointed out first.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { deskQueryKey, useDeskMutation } from '../../lib/query';
import { PrinterStatusLine } from './printer-status-line';
import './slips.css';

export function PrinterTestPanel({ unsaved }: { unsaved: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const test = useDeskMutation('printer.testPage', {
    onSettled: () => void queryClient.invalidateQueries({ queryKey: deskQueryKey('printer.status') }),
  });
  return (
    <div className="section-actions" data-testid="printer-test">
      <PrinterStatusLine />
      {unsaved && <p className="field-help">{t('slips.testPage.unsaved')}</p>}
      <button type="button" onClick={() => test.mutate({})} disabled={test.isPending}>
        {test.isPending ? t('slips.printing') : t('slips.testPage.button')}
      </button>
      {test.isSuccess && (
        <p className={`alert ${test.data.confirmed ? 'alert-ok' : 'alert-warn'}`} role="status">
          {t(test.data.confirmed ? 'slips.testPage.confirmed' : 'slips.testPage.unconfirmed')}
          {test.data.paper === 'near-end' && ` ${t('slips.outcome.paperLow')}`}
        </p>
      )}
      {test.isError && <ErrorBox error={test.error} />}
    </div>
  );
}
