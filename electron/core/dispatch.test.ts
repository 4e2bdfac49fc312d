import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../../test/support/desk';

describe('dispatch', () => {
  let t: TestDesk;
  beforeEach(async () => {
    t = await startTestDesk();
  });
  afterEach(() => t.close());

  it('rejects an unknown method with a coded error', async () => {
    const r = await t.raw('nope.nothing', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('names the offending field when the input fails its schema, in both languages', async () => {
    const r = await t.raw('settings.update', { printer: { widthDots: 500 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.field).toBe('printer.widthDots');
    expect(r.error.messages.vi).toContain('printer.widthDots');
    expect(r.error.messages.en).toContain('printer.widthDots');
  });

  it('rejects unknown settings keys instead of storing them', async () => {
    const r = await t.raw('settings.update', { pacs: { bogus: 1 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('requires an operator for non-public methods', async () => {
    expect(await t.raw('settings.get', {}, {})).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
    expect((await t.raw('app.info', {}, {})).ok).toBe(true);
  });

  it('requires a PIN session for an operator with a PIN, and only admins create operators', async () => {
    const tech = await t.call('operators.create', { name: 'Trần Thị Bình', role: 'technician', pin: '1234' });
    expect(await t.raw('settings.get', {}, { operatorId: tech.id })).toMatchObject({ ok: false, error: { code: 'PIN_REQUIRED' } });
    expect(await t.raw('operators.signIn', { operatorId: tech.id, pin: '9999' }, {})).toMatchObject({
      ok: false,
      error: { code: 'PIN_WRONG' },
    });
    const { session } = await t.call('operators.signIn', { operatorId: tech.id, pin: '1234' }, {});
    const caller = { operatorId: tech.id, session };
    expect((await t.raw('settings.get', {}, caller)).ok).toBe(true);
    expect(await t.raw('operators.create', { name: 'X' }, caller)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('audits flagged methods with their outcome, and never stores secret values', async () => {
    await t.call('settings.update', { pacs: { password: 's3cret-value' } });
    await t.raw('settings.update', { printer: { widthDots: 1 } });
    const { items } = await t.call('audit.list', {});
    const updates = items.filter((i) => i.action === 'settings.update');
    expect(updates.map((u) => u.outcome).sort()).toEqual(['error', 'ok']);
    expect(JSON.stringify(items)).not.toContain('s3cret-value');
    const settings = await t.call('settings.get');
    expect(JSON.stringify(settings)).not.toContain('s3cret-value');
    expect(settings.pacs.passwordSet).toBe(true);
  });

  it('turns an unexpected exception into INTERNAL with a reference and logs the detail', async () => {
    t.desk.db.exec('DROP TABLE operators');
    const r = await t.raw('operators.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(t.logger.lines.some((l) => l.includes('unexpected error'))).toBe(true);
  });
});
