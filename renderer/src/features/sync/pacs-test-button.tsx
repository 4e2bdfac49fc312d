/**
 * "Kiểm tra kết nối / Test connection" for the PACS, with the values in the settings form (saved
 * or not): the core answers with the round-trip time, or says plainly what is wrong — unreachable,
 * wrong credentials, not a DICOMweb endpoint, TLS (its PACS_* error codes, in both languages).
 */
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../../../shared/contract';
import { ErrorBox } from '../../app/error-text';
import { useDeskMutation } from '../../lib/query';

export function PacsTestButton({ override }: { override: MethodInput<'pacs.test'> }) {
  const { t } = useTranslation();
  const test = useDeskMutation('pacs.test');
  return (
    <div className="section-actions" data-testid="pacs-test">
      <button type="button" onClick={() => test.mutate(override)} disabled={test.isPending}>
        {test.isPending ? t('sync.pacsTest.testing') : t('sync.pacsTest.button')}
      </button>
      {test.isSuccess && (
        <p className="alert alert-ok" role="status">
          {t('sync.pacsTest.ok', { url: test.data.url, ms: Math.round(test.data.latencyMs) })}
        </p>
      )}
      {test.isError && <ErrorBox error={test.error} />}
    </div>
  );
}
