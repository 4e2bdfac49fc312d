/**
 * What the desk has received today from the modality, live: the ingest counts and, while files are
 * being checked, a progress bar — so a technician who just pressed "send" sees the desk working.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { deskQueryKey, useDeskEvent, useDeskQuery } from '../../lib/query';

export function IntakeStrip() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (settle.current && clearTimeout(settle.current)), []);
  // Each progress event carries the running counts: no refetch per file. Once the events stop, one
  // refetch settles the figures (an event may have been sent while a file was still in flight).
  useDeskEvent('ingest.progress', (p) => {
    queryClient.setQueryData(deskQueryKey('ingest.summary', {}), p.counts);
    if (settle.current) clearTimeout(settle.current);
    settle.current = setTimeout(() => void queryClient.invalidateQueries({ queryKey: deskQueryKey('ingest.summary') }), 800);
  });
  const summary = useDeskQuery('ingest.summary', {}, { staleTime: 2000 });
  const s = summary.data;
  if (!s) return null;
  const done = s.accepted + s.duplicates + s.quarantined;
  return (
    <div className="intake-strip" aria-label={t('inbox.intake.label')} data-testid="intake">
      <span>
        {t('inbox.intake.received', { n: s.received })} · {t('inbox.intake.accepted', { n: s.accepted })}
        {s.duplicates > 0 ? ` · ${t('inbox.intake.duplicates', { n: s.duplicates })}` : ''}
        {s.quarantined > 0 ? (
          <>
            {' · '}
            <strong className="intake-bad">{t('inbox.intake.quarantined', { n: s.quarantined })}</strong>
          </>
        ) : null}
      </span>
      {s.inProgress > 0 ? (
        <span className="intake-progress" role="status">
          <progress max={done + s.inProgress} value={done} /> {t('inbox.intake.inProgress', { count: s.inProgress })}
        </span>
      ) : null}
    </div>
  );
}
