/**
 * "Kiểm tra kết nối / Test connection" for the worklist: a DICOM C-ECHO (PS3.7 §9.1.5) to the
 * saved worklist SCP, answered with the round-trip time or the reason it failed. It uses the saved
 * settings, so unsaved worklist changes are pointed out first.
 */
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { useDeskMutation } from '../../lib/query';

export function WorklistTestButton({ unsaved }: { unsaved: boolean }) {
  const { t } = useTranslation();
  const test = useDeskMutation('visits.test');
  return (
    <div className="section-actions" data-testid="worklist-test">
      {unsaved && <p className="field-help">{t('visits.worklistTest.unsaved')}</p>}
      <button type="button" onClick={() => test.mutate({})} disabled={test.isPending}>
        {test.isPending ? t('visits.worklistTest.testing') : t('visits.worklistTest.button')}
      </button>
      {test.isSuccess && (
        <p className="alert alert-ok" role="status">
          {t('visits.worklistTest.ok', { aet: test.data.calledAet, host: test.data.host, port: test.data.port, ms: Math.round(test.data.latencyMs) })}
        </p>
      )}
      {test.isError && <ErrorBox error={test.error} />}
    </div>
  );
}
