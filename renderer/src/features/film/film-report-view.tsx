/**
 * Báo cáo / reports for KHNV and TCKT: by month and case, by technician, by contract, films used by
 * size, patient requests billed, and the special cases still awaiting approval — for any range of
 * days (Vietnamese time). Exports the register as CSV for Excel and prints the A4 summary for the
 * monthly review.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { FilmReport } from '../../../../shared/film-views';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { currentLanguage } from '../../i18n/i18n';
import type { Language } from '../../i18n/i18n';
import { formatCount } from '../../lib/format';
import { useDeskClient, useDeskQuery } from '../../lib/query';
import { DateField } from './film-form';
import { downloadText, summaryBody } from './film-download';
import { formatRecordTime, formatVnd, previousMonth, thisMonthSoFar } from './film-format';

export function FilmReportView() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const client = useDeskClient();
  const [range, setRange] = useState(() => thisMonthSoFar(Date.now()));
  const [delimiter, setDelimiter] = useState<',' | ';'>(',');
  const [busy, setBusy] = useState<'csv' | 'print' | 'html' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [printHtml, setPrintHtml] = useState<string | null>(null);
  const report = useDeskQuery('film.report', range);

  const run = async (what: 'csv' | 'print' | 'html') => {
    setBusy(what);
    setFailure(null);
    try {
      if (what === 'csv') {
        const out = await client.call('film.exportCsv', { ...range, delimiter });
        downloadText(out.fileName, out.csv, out.mimeType);
      } else {
        const { html } = await client.call('film.summaryHtml', { ...range, lang });
        if (what === 'html') downloadText(`bao-cao-cap-phim_${range.from}_${range.to}.html`, html, 'text/html;charset=utf-8');
        else setPrintHtml(summaryBody(html));
      }
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(null);
    }
  };

  // Print once the summary is in the page; the print copy leaves again afterwards.
  useEffect(() => {
    if (printHtml === null) return;
    const done = () => setPrintHtml(null);
    document.body.classList.add('film-printing');
    window.addEventListener('afterprint', done, { once: true });
    window.print();
    return () => {
      window.removeEventListener('afterprint', done);
      document.body.classList.remove('film-printing');
    };
  }, [printHtml]);

  return (
    <div>
      <div className="toolbar film-filters">
        <DateField label={t('film.report.from')} value={range.from} onChange={(from) => setRange((r) => ({ ...r, from }))} />
        <DateField label={t('film.report.to')} value={range.to} onChange={(to) => setRange((r) => ({ ...r, to }))} />
        <button type="button" className="film-align" onClick={() => setRange(thisMonthSoFar(Date.now()))}>
          {t('film.report.thisMonth')}
        </button>
        <button type="button" className="film-align" onClick={() => setRange(previousMonth(Date.now()))}>
          {t('film.report.lastMonth')}
        </button>
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="film-csv-delimiter">{t('film.report.delimiter')}</label>
          <select id="film-csv-delimiter" value={delimiter} onChange={(e) => setDelimiter(e.target.value as ',' | ';')}>
            <option value=",">{t('film.report.comma')}</option>
            <option value=";">{t('film.report.semicolon')}</option>
          </select>
        </div>
        <button type="button" className="film-align" disabled={busy !== null} onClick={() => void run('csv')}>
          {t('film.report.exportCsv')}
        </button>
        <button type="button" className="film-align button-primary" disabled={busy !== null} onClick={() => void run('print')}>
          {t('film.report.print')}
        </button>
        <button type="button" className="film-align" disabled={busy !== null} onClick={() => void run('html')}>
          {t('film.report.downloadHtml')}
        </button>
      </div>
      {failure !== null && <ErrorBox error={failure} />}
      {report.isPending && <Loading />}
      {report.isError && <ErrorBox error={report.error} />}
      {report.data && <ReportTables report={report.data} lang={lang} />}
      {printHtml !== null &&
        createPortal(
          // The core escaped every value and the summary has no script (see film-summary-html.ts).
          <div className="film-print-root" dangerouslySetInnerHTML={{ __html: printHtml }} />,
          document.body,
        )}
    </div>
  );
}

function ReportTables({ report, lang }: { report: FilmReport; lang: Language }) {
  const { t } = useTranslation();
  const n = (x: number) => formatCount(x, lang);
  return (
    <div className="film-report">
      <dl className="film-totals">
        <div>
          <dt>{t('film.report.records')}</dt>
          <dd>{n(report.totals.records)}</dd>
        </div>
        <div>
          <dt>{t('film.report.films')}</dt>
          <dd>{n(report.totals.films)}</dd>
        </div>
        <div>
          <dt>{t('film.report.pending')}</dt>
          <dd>{n(report.totals.pendingApproval)}</dd>
        </div>
        <div>
          <dt>{t('film.report.voided')}</dt>
          <dd>{n(report.totals.voided)}</dd>
        </div>
      </dl>
      <p className="field-help">{t('film.report.note')}</p>

      <Section title={t('film.report.byMonthCase')} numFrom={2} head={[t('film.report.month'), t('film.register.case'), t('film.report.records'), t('film.report.films')]}>
        {report.byMonthAndCase.map((r) => (
          <tr key={`${r.month}-${r.case}`}>
            <td>{r.month.split('-').reverse().join('/')}</td>
            <td>{t(`film.case.${r.case}`)}</td>
            <td className="num">{n(r.records)}</td>
            <td className="num">{n(r.films)}</td>
          </tr>
        ))}
      </Section>

      <Section title={t('film.report.byTechnician')} numFrom={1} head={[t('film.register.technician'), t('film.report.records'), t('film.report.films')]}>
        {report.byTechnician.map((r) => (
          <tr key={r.operatorId ?? r.name}>
            <td>{r.name}</td>
            <td className="num">{n(r.records)}</td>
            <td className="num">{n(r.films)}</td>
          </tr>
        ))}
      </Section>

      <Section
        title={t('film.report.byContract')}
        numFrom={2}
        head={[t('film.field.contractName'), t('film.field.contractNumber'), t('film.report.records'), t('film.report.films')]}
      >
        {report.byContract.map((r) => (
          <tr key={`${r.contractName}\u0000${r.contractNumber}`}>
            <td>{r.contractName}</td>
            <td>{r.contractNumber}</td>
            <td className="num">{n(r.records)}</td>
            <td className="num">{n(r.films)}</td>
          </tr>
        ))}
      </Section>

      <Section title={t('film.report.bySize')} numFrom={1} head={[t('film.form.size'), t('film.report.films')]}>
        {report.filmsBySize.map((r) => (
          <tr key={r.size}>
            <td>{r.size.replace('x', ' × ')} cm</td>
            <td className="num">{n(r.count)}</td>
          </tr>
        ))}
      </Section>

      <Section title={t('film.report.patientBilled')} numFrom={0} head={[t('film.report.requests'), t('film.report.amount'), t('film.report.unpriced')]}>
        <tr>
          <td className="num">{n(report.patientRequestsBilled.count)}</td>
          <td className="num">{formatVnd(report.patientRequestsBilled.amount, lang)}</td>
          <td className="num">{n(report.patientRequestsBilled.unpriced)}</td>
        </tr>
      </Section>

      <Section title={t('film.report.pendingList')} numFrom={4} head={[t('film.register.time'), t('film.register.patient'), t('film.field.description'), t('film.field.proposedBy')]}>
        {report.pendingApprovals.map((r) => (
          <tr key={r.id}>
            <td className="nowrap">{formatRecordTime(r.recordedAt)}</td>
            <td>
              {r.patientName} · {r.visitNumber}
            </td>
            <td>{r.description}</td>
            <td>{r.proposedBy}</td>
          </tr>
        ))}
      </Section>
    </div>
  );
}

/** A titled table; columns from `numFrom` on hold numbers and are right-aligned. */
function Section({ title, head, numFrom, children }: { title: string; head: readonly string[]; numFrom: number; children: ReactNode }) {
  const { t } = useTranslation();
  const rows = Array.isArray(children) ? children.length : 1;
  return (
    <section className="film-report-section">
      <h3>{title}</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {head.map((h, i) => (
                <th key={h} scope="col" className={i >= numFrom ? 'num' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows === 0 ? (
              <tr>
                <td colSpan={head.length} className="film-none">
                  {t('film.report.none')}
                </td>
              </tr>
            ) : (
              children
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
