import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../../shared/settings-schema';
import { describeSettings, fieldForErrorPath } from './settings-fields';

const sections = describeSettings();
const byPath = new Map(sections.flatMap((s) => s.fields.map((f) => [f.path, f] as const)));

describe('describeSettings', () => {
  it('has one section per top-level key, in schema order', () => {
    expect(sections.map((s) => s.id)).toEqual(Object.keys(settingsSchema.shape));
  });

  it('derives each input from the schema', () => {
    expect(byPath.get('ingest.watchFolders')?.kind).toEqual({ type: 'list' });
    expect(byPath.get('ingest.scp.port')?.kind).toEqual({ type: 'number', min: 1, max: 65535, integer: true });
    expect(byPath.get('sync.diskWarnGB')?.kind).toEqual({ type: 'number', min: 0, max: null, integer: false });
    expect(byPath.get('pacs.dicomwebUrl')?.kind).toEqual({ type: 'text', url: true });
    expect(byPath.get('printer.widthDots')?.kind).toEqual({ type: 'choice', options: [576, 384] });
    expect(byPath.get('ui.language')?.kind).toEqual({ type: 'choice', options: ['vi', 'en'] });
    expect(byPath.get('review.requireQa')?.kind).toEqual({ type: 'boolean' });
  });

  it('marks exactly the secrets as secret', () => {
    const secrets = [...byPath.values()].filter((f) => f.kind.type === 'secret').map((f) => f.path);
    expect(secrets.sort()).toEqual(['pacs.bearerToken', 'pacs.password', 'server.apiKey']);
  });

  it('can edit every key of the current schema (extend kindOf when this fails)', () => {
    expect([...byPath.values()].filter((f) => f.kind.type === 'unsupported').map((f) => f.path)).toEqual([]);
  });

  it('shows a shape it cannot edit as unsupported instead of guessing', () => {
    const odd = describeSettings(z.object({ x: z.object({ when: z.date(), tags: z.array(z.number()) }) }));
    expect(odd[0]?.fields.map((f) => f.kind.type)).toEqual(['unsupported', 'unsupported']);
  });
});

describe('fieldForErrorPath', () => {
  it('finds the field a VALIDATION error names, or the field an item path belongs to', () => {
    expect(fieldForErrorPath(sections, 'pacs.dicomwebUrl')?.path).toBe('pacs.dicomwebUrl');
    expect(fieldForErrorPath(sections, 'ingest.watchFolders.0')?.path).toBe('ingest.watchFolders');
    expect(fieldForErrorPath(sections, 'pacs')).toBeNull();
    expect(fieldForErrorPath(sections, 'pacs.dicomweb')).toBeNull();
    expect(fieldForErrorPath(sections, undefined)).toBeNull();
  });
});
