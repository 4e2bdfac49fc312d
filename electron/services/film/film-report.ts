/**
 * The register's report for planning (KHNV) and finance (TCKT), computed from the records of a
 * date range. Voided records count nowhere except `totals.voided`. Pending special cases count
 * like the others — their films were issued and used — and are also listed on their own so KHNV
 * can chase the approval. Months are clinic-local (Asia/Ho_Chi_Minh).
 */
import { FILM_CASES, FILM_SIZES, type FilmCase } from '../../../shared/film-cases';
import { CLINIC_TIME_ZONE, localMonth } from '../../../shared/film-dates';
import type { FilmRecordView, FilmReport } from '../../../shared/film-views';

const collator = new Intl.Collator('vi');

export function buildFilmReport(from: string, to: string, records: readonly FilmRecordView[]): FilmReport {
  const active = records.filter((r) => r.void === null);

  const byMonthCase = new Map<string, { month: string; case: FilmCase; records: number; films: number }>();
  const byTech = new Map<string, { operatorId: string | null; name: string; records: number; films: number; lastAt: number }>();
  const byContract = new Map<string, { contractName: string; contractNumber: string; records: number; films: number }>();
  const sizes = new Map(FILM_SIZES.map((s) => [s, 0]));
  const patient = { count: 0, amount: 0, unpriced: 0 };

  for (const r of active) {
    const month = localMonth(r.recordedAt);
    const mc = byMonthCase.get(`${month}|${r.case}`) ?? { month, case: r.case, records: 0, films: 0 };
    mc.records += 1;
    mc.films += r.totalFilms;
    byMonthCase.set(`${month}|${r.case}`, mc);

    const techKey = r.technician.id ?? `name:${r.technician.name}`;
    const t = byTech.get(techKey) ?? { operatorId: r.technician.id, name: r.technician.name, records: 0, films: 0, lastAt: 0 };
    t.records += 1;
    t.films += r.totalFilms;
    // An operator renamed mid-month is shown under the name of their latest record.
    if (r.recordedAt >= t.lastAt) {
      t.lastAt = r.recordedAt;
      t.name = r.technician.name;
    }
    byTech.set(techKey, t);

    if (r.case === 'CONTRACT') {
      const name = r.contractName ?? '';
      const number = r.contractNumber ?? '';
      const key = `${name}\u0000${number}`;
      const c = byContract.get(key) ?? { contractName: name, contractNumber: number, records: 0, films: 0 };
      c.records += 1;
      c.films += r.totalFilms;
      byContract.set(key, c);
    }

    for (const line of r.films) sizes.set(line.size, (sizes.get(line.size) ?? 0) + line.count);

    if (r.case === 'PATIENT_REQUEST') {
      patient.count += 1;
      if (r.billing) patient.amount += r.billing.withFilmPrice;
      else patient.unpriced += 1;
    }
  }

  const caseOrder = (c: FilmCase) => FILM_CASES.indexOf(c);
  return {
    from,
    to,
    timeZone: CLINIC_TIME_ZONE,
    totals: {
      records: active.length,
      films: active.reduce((n, r) => n + r.totalFilms, 0),
      pendingApproval: active.filter((r) => r.pendingApproval).length,
      voided: records.length - active.length,
    },
    byMonthAndCase: [...byMonthCase.values()].sort((a, b) => a.month.localeCompare(b.month) || caseOrder(a.case) - caseOrder(b.case)),
    byTechnician: [...byTech.values()]
      .sort((a, b) => b.records - a.records || collator.compare(a.name, b.name))
      .map(({ operatorId, name, records: n, films }) => ({ operatorId, name, records: n, films })),
    byContract: [...byContract.values()].sort(
      (a, b) => collator.compare(a.contractName, b.contractName) || collator.compare(a.contractNumber, b.contractNumber),
    ),
    filmsBySize: FILM_SIZES.map((size) => ({ size, count: sizes.get(size) ?? 0 })),
    patientRequestsBilled: patient,
    pendingApprovals: active.filter((r) => r.pendingApproval).sort((a, b) => a.recordedAt - b.recordedAt),
  };
}
