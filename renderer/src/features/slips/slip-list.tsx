/**
 * The visit's slips, newest first: lookup code (what staff read out when a patient calls), state,
 * dates, the last print job; for a valid slip, reprint (new token, reason required) and revoke
 * (reason required, the link stops working once the clinic server hears of it).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlipSummary } from '../../../../shared/contract/slips';
import { ErrorBox } from '../../app/error-text';
import { formatDate, formatDateTime } from '../../lib/format';
import { deskQueryKey, useDeskEvent, useDeskMutation } from '../../lib/query';

const TONE: Record<SlipSummary['status'], string> = { active: 'ok', expired: 'warn', revoked: 'idle' };

export function SlipList({ slips, onReprint, busy }: { slips: readonly SlipSummary[]; onReprint: (slipId: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const reload = () => {
    for (const m of ['slips.list', 'visits.get', 'visits.list'] as const) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
  };
  // An admin may revoke a slip on the clinic server; the desk learns it on its next pull.
  useDeskEvent('slips.changed', reload);
  const revoke = useDeskMutation('slips.revoke', {
    onSuccess: () => {
      setRevoking(null);
      reload();
    },
  });

  return (
    <div className="slip-list">
      <h3>{t('slips.list.title')}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="slip-list">
          <thead>
            <tr>
              <th scope="col">{t('slips.list.code')}</th>
              <th scope="col">{t('slips.list.status')}</th>
              <th scope="col">{t('slips.list.created')}</th>
              <th scope="col">{t('slips.list.expires')}</th>
              <th scope="col">{t('slips.list.lastPrint')}</th>
              <th scope="col">{t('slips.list.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {slips.map((s) => (
              <tr key={s.slipId} data-slip-id={s.slipId} data-status={s.status}>
                <td>
                  <code className="lookup-code">{s.lookupCode}</code>
                </td>
                <td>
                  <span className={`pill pill-${TONE[s.status]}`}>{t(`slips.status.${s.status}`)}</span>
                  {s.revokeReason && <span className="cell-sub">{s.revokeReason}</span>}
                </td>
                <td className="nowrap">{formatDateTime(s.createdAt)}</td>
                <td className="nowrap">{formatDate(s.expiresAt)}</td>
                <td>
                  {s.lastPrint ? (
                    <>
                      {t(`slips.job.${s.lastPrint.status}`)}
                      <span className="cell-sub">
                        {formatDateTime(s.lastPrint.at)}
                        {s.lastPrint.errorCode ? ` · ${s.lastPrint.errorCode}` : ''}
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="row-actions">
                  {s.status === 'active' && revoking !== s.slipId && (
                    <>
                      <button type="button" disabled={busy} onClick={() => onReprint(s.slipId)}>
                        {t('slips.list.reprint')}
                      </button>
                      <button type="button" disabled={busy} onClick={() => (revoke.reset(), setReason(''), setRevoking(s.slipId))}>
                        {t('slips.list.revoke')}
                      </button>
                    </>
                  )}
                  {revoking === s.slipId && (
                    <form
                      className="inline-confirm"
                      onSubmit={(e) => {
                        e.preventDefault();
                        revoke.mutate({ slipId: s.slipId, reason });
                      }}
                    >
                      <label htmlFor={`revoke-${s.slipId}`}>{t('slips.reason')}</label>
                      <input id={`revoke-${s.slipId}`} type="text" value={reason} minLength={3} maxLength={200} required onChange={(e) => setReason(e.target.value)} />
                      <button type="submit" className="button-danger" disabled={revoke.isPending || reason.trim().length < 3}>
                        {t('slips.list.revokeConfirm')}
                      </button>
                      <button type="button" onClick={() => setRevoking(null)} disabled={revoke.isPending}>
                        {t('slips.close')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoke.isError && <ErrorBox error={revoke.error} />}
    </div>
  );
}
