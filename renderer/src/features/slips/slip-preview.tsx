/**
 * The slip exactly as it will print: the core's 1-bit raster as PNG, shown at one image pixel per
 * CSS pixel (`width`/`height` attributes, `image-rendering: pixelated`) inside a scrolling panel,
 * so what the technician checks — name, diacritics, line breaks — is dot for dot the paper. The
 * link in a preview is a placeholder of the printed length; no token exists yet.
 */
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { useDeskQuery } from '../../lib/query';

export function SlipPreview({ visitId }: { visitId: string }) {
  const { t } = useTranslation();
  // Audited on every call (it draws patient data): ask once per opening, keep nothing cached.
  const preview = useDeskQuery('slips.preview', { visitId }, { staleTime: Infinity, gcTime: 0, refetchOnWindowFocus: false });
  return (
    <div className="slip-preview">
      {preview.isPending && <Loading />}
      {preview.isError && <ErrorBox error={preview.error} />}
      {preview.data && (
        <>
          <p className="field-help">{t('slips.preview.size', { width: preview.data.width, height: preview.data.height })}</p>
          <div className="slip-preview-scroll" tabIndex={0} role="region" aria-label={t('slips.preview.label')}>
            <img
              data-testid="slip-preview"
              src={`data:image/png;base64,${preview.data.png}`}
              width={preview.data.width}
              height={preview.data.height}
              alt={t('slips.preview.alt')}
            />
          </div>
        </>
      )}
    </div>
  );
}
