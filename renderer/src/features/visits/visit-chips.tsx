/**
 * The three status chips of a visit — images, slip, film — each a word and a colour, never a
 * colour alone, so a technician reads "where is this patient" at a glance from across the room;
 * and the flags that qualify a visit (temporary PatientID, order cancelled on the worklist).
 */
import { useTranslation } from 'react-i18next';
import type { VisitSummary } from '../../../../shared/contract/visits';
import { formatDateTime } from '../../lib/format';

type Tone = 'ok' | 'warn' | 'bad' | 'idle' | 'info';

const IMAGE_TONE: Record<VisitSummary['imageStatus'], Tone> = { none: 'idle', waiting: 'warn', sending: 'info', sent: 'ok', failed: 'bad' };
const SLIP_TONE: Record<VisitSummary['slipStatus'], Tone> = { none: 'idle', active: 'ok', expired: 'warn', revoked: 'warn' };
const FILM_TONE: Record<VisitSummary['filmStatus'], Tone> = { none: 'idle', 'film-issued': 'info', 'pending-approval': 'warn' };

function Chip({ tone, kind, value, text }: { tone: Tone; kind: string; value: string; text: string }) {
  return (
    <span className={`pill visit-chip visit-chip-${tone}`} data-chip={kind} data-value={value}>
      {text}
    </span>
  );
}

export function ImageChip({ status }: { status: VisitSummary['imageStatus'] }) {
  const { t } = useTranslation();
  return <Chip tone={IMAGE_TONE[status]} kind="images" value={status} text={t(`visits.imageStatus.${status}`)} />;
}

export function SlipChip({ status }: { status: VisitSummary['slipStatus'] }) {
  const { t } = useTranslation();
  return <Chip tone={SLIP_TONE[status]} kind="slip" value={status} text={t(`visits.slipStatus.${status}`)} />;
}

export function FilmChip({ status }: { status: VisitSummary['filmStatus'] }) {
  const { t } = useTranslation();
  return <Chip tone={FILM_TONE[status]} kind="film" value={status} text={t(`visits.filmStatus.${status}`)} />;
}

/**
 * The order was cancelled on the RIS/HIS (it left the worklist). Shown on a visit that already
 * has images, so the technician sees that they were taken for an order that no longer stands.
 */
export function WithdrawnFlag({ at }: { at: number }) {
  const { t } = useTranslation();
  return (
    <span className="pill visit-chip visit-chip-bad" data-chip="withdrawn" title={t('visits.withdrawnAt', { at: formatDateTime(at) })}>
      {t('visits.withdrawn')}
    </span>
  );
}

/** The temporary PatientID of a walk-in, flagged until it is reconciled with the real visit. */
export function TemporaryIdFlag() {
  const { t } = useTranslation();
  return (
    <span className="pill visit-chip visit-chip-warn" data-chip="temporary-id" title={t('visits.temporaryIdHelp')}>
      {t('visits.temporaryId')}
    </span>
  );
}
