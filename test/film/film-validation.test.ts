/**
 * The notice's three cases through the real dispatch (compose on a temp folder, real SQLite):
 * each complete form is accepted, and each missing required field is refused with a VALIDATION
 * error that names the field and says which one is missing, in Vietnamese and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk';
import { FILM_MESSAGES, missingMessage, type FilmField } from '../../shared/film-cases';
import { completeForms, insertVisit } from './film-fixtures';

let t: TestDesk;
beforeAll(async () => {
  t = await startTestDesk();
});
afterAll(async () => {
  await t.close();
});

async function expectInvalid(input: unknown, field: string, detail: string, method = 'film.record') {
  const r = await t.raw(method, input);
  expect(r.ok, `${method} should refuse a form without ${field}`).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe('VALIDATION');
  expect(r.error.field).toBe(field);
  expect(r.error.messages.vi).toContain(detail);
  expect(r.error.messages.en).toContain(detail);
}

const without = <T extends object>(o: T, key: string): Partial<T> => {
  const copy: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  delete copy[key];
  return copy as Partial<T>;
};

describe('film.record validation, case by case', () => {
  const required: Record<'CONTRACT' | 'PATIENT_REQUEST' | 'SPECIAL', FilmField[]> = {
    CONTRACT: ['contractNumber'],
    PATIENT_REQUEST: ['requestReference'],
    SPECIAL: ['description', 'proposedBy', 'approvedBy', 'approvalReference', 'approvalDate'],
  };

  for (const kind of ['CONTRACT', 'PATIENT_REQUEST', 'SPECIAL'] as const) {
    it(`${kind}: the complete form is accepted`, async () => {
      const visit = insertVisit(t.desk.db);
      const view = await t.call('film.record', completeForms(visit.id)[kind]);
      expect(view.case).toBe(kind);
      expect(view.visitId).toBe(visit.id);
      expect(view.void).toBeNull();
    });

    for (const field of required[kind]) {
      it(`${kind}: refuses a form without ${field}, naming it in both languages`, async () => {
        const visit = insertVisit(t.desk.db);
        const form = completeForms(visit.id)[kind];
        await expectInvalid(without(form, field), field, missingMessage(field));
        // Blank and whitespace-only count as missing, the way a cleared form field arrives.
        await expectInvalid({ ...form, [field]: '   ' }, field, missingMessage(field));
      });
    }
  }

  it('the messages name the field in Vietnamese and English', () => {
    expect(missingMessage('contractNumber')).toBe('Thiếu số hợp đồng (contractNumber) / Missing contract number (contractNumber)');
    expect(missingMessage('approvedBy')).toBe('Thiếu người duyệt (Ban Giám đốc) (approvedBy) / Missing approved by (leadership) (approvedBy)');
  });

  it('CONTRACT: refuses a form without contractName when the visit has no contract payer', async () => {
    const visit = insertVisit(t.desk.db, { payer: 'SERVICE' });
    await expectInvalid(without(completeForms(visit.id).CONTRACT, 'contractName'), 'contractName', missingMessage('contractName'));
  });

  it("CONTRACT: takes the contract name from the visit's contract payer; the number is still required", async () => {
    const visit = insertVisit(t.desk.db, { payer: 'CONTRACT', contractName: 'Hợp đồng KSK Trường THPT Phan Châu Trinh' });
    const form = without(completeForms(visit.id).CONTRACT, 'contractName');
    const view = await t.call('film.record', form);
    expect(view.contractName).toBe('Hợp đồng KSK Trường THPT Phan Châu Trinh');
    await expectInvalid(without(form, 'contractNumber'), 'contractNumber', missingMessage('contractNumber'));
  });

  it('PATIENT_REQUEST: refuses unless the patient was told it is billed with film (chargeAcknowledged === true)', async () => {
    const visit = insertVisit(t.desk.db);
    const form = completeForms(visit.id).PATIENT_REQUEST;
    await expectInvalid(without(form, 'chargeAcknowledged'), 'chargeAcknowledged', FILM_MESSAGES.chargeAcknowledged);
    await expectInvalid({ ...form, chargeAcknowledged: false }, 'chargeAcknowledged', FILM_MESSAGES.chargeAcknowledged);
  });

  it('SPECIAL: may be recorded pending approval without the approval fields, but not with them', async () => {
    const visit = insertVisit(t.desk.db);
    const { approvedBy, approvalReference, approvalDate, ...pending } = completeForms(visit.id).SPECIAL;
    const view = await t.call('film.record', { ...pending, pendingApproval: true });
    expect(view.pendingApproval).toBe(true);
    expect(view.approval).toBeNull();
    await expectInvalid(
      { ...pending, pendingApproval: true, approvedBy, approvalReference, approvalDate },
      'pendingApproval',
      FILM_MESSAGES.pendingWithApproval,
    );
    // Without pendingApproval, description and proposer present but no approval at all: the first approval field is named.
    await expectInvalid(pending, 'approvedBy', missingMessage('approvedBy'));
  });

  it('SPECIAL: refuses a malformed or future approval date', async () => {
    const visit = insertVisit(t.desk.db);
    const form = completeForms(visit.id).SPECIAL;
    await expectInvalid({ ...form, approvalDate: '14/01/2026' }, 'approvalDate', FILM_MESSAGES.approvalDateFormat);
    await expectInvalid({ ...form, approvalDate: '2026-02-30' }, 'approvalDate', FILM_MESSAGES.approvalDateFormat);
    // The test clock stands at 2026-01-15 15:00 in Vietnam.
    await expectInvalid({ ...form, approvalDate: '2026-01-16' }, 'approvalDate', FILM_MESSAGES.approvalDateFuture);
  });

  it('common fields: visit, case, films (size and count)', async () => {
    const visit = insertVisit(t.desk.db);
    const form = completeForms(visit.id).PATIENT_REQUEST;
    await expectInvalid(without(form, 'visitId'), 'visitId', missingMessage('visitId'));
    await expectInvalid(without(form, 'case'), 'case', missingMessage('case'));
    await expectInvalid(without(form, 'films'), 'films', missingMessage('films'));
    await expectInvalid({ ...form, films: [] }, 'films', missingMessage('films'));
    await expectInvalid({ ...form, films: [{ size: '30x40', count: 1 }] }, 'films.0.size', FILM_MESSAGES.filmSize);
    await expectInvalid({ ...form, films: [{ size: '35x43', count: 0 }] }, 'films.0.count', FILM_MESSAGES.filmCount);
    await expectInvalid({ ...form, films: [{ size: '35x43', count: 1.5 }] }, 'films.0.count', FILM_MESSAGES.filmCount);
    await expectInvalid({ ...form, studyInstanceUIDs: ['1.2.03'] }, 'studyInstanceUIDs.0', FILM_MESSAGES.studyUid);
  });

  it('an unknown visit is refused with its own code', async () => {
    const r = await t.raw('film.record', completeForms('00000000-0000-4000-8000-000000000000').CONTRACT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FILM_VISIT_NOT_FOUND');
  });

  it('film.void and film.approve name their missing fields too', async () => {
    const visit = insertVisit(t.desk.db);
    const view = await t.call('film.record', completeForms(visit.id).CONTRACT);
    await expectInvalid({ id: view.id }, 'reason', missingMessage('reason'), 'film.void');
    await expectInvalid({ id: view.id, reason: '  ' }, 'reason', missingMessage('reason'), 'film.void');
    const approval = { id: view.id, approvedBy: 'BS. Lê Quốc Hùng', approvalReference: '9/QĐ', approvalDate: '2026-01-15' };
    for (const field of ['approvedBy', 'approvalReference', 'approvalDate'] as const) {
      await expectInvalid(without(approval, field), field, missingMessage(field), 'film.approve');
    }
  });

  it('a refused attempt is audited as an error against the patient', async () => {
    const visit = insertVisit(t.desk.db, { patientID: 'BN-AUDIT-1' });
    await t.raw('film.record', without(completeForms(visit.id).SPECIAL, 'description'));
    const ok = await t.raw('film.record', { ...completeForms(visit.id).CONTRACT, contractName: undefined });
    expect(ok.ok).toBe(false);
    const audit = await t.call('audit.list', { action: 'film.record' });
    const mine = audit.items.filter((a) => a.patientID === 'BN-AUDIT-1');
    // The schema refusal happens before the handler knows the patient; the handler's refusal names it.
    expect(mine.length).toBe(1);
    expect(mine[0]!.outcome).toBe('error');
    expect(mine[0]!.detail.error).toBe('VALIDATION');
  });
});
