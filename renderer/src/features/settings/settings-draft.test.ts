import { describe, expect, it } from 'vitest';
import { publicSettings, settingsPatchSchema, settingsSchema } from '../../../../shared/settings-schema';
import { draftFromSettings, patchFromDraft, secretIsSet, type Draft } from './settings-draft';
import { describeSettings } from './settings-fields';

const sections = describeSettings();
const stored = settingsSchema.parse({ pacs: { password: 'hunter2' }, ingest: { watchFolders: ['D:\\Export'] } });
const shown = publicSettings(stored);
const original = draftFromSettings(sections, shown);

function edit(changes: Record<string, Draft[string]>): ReturnType<typeof patchFromDraft> {
  return patchFromDraft(sections, original, { ...original, ...changes });
}

describe('settings draft', () => {
  it('shows values as the inputs hold them, and never a secret', () => {
    expect(original['ingest.watchFolders']).toBe('D:\\Export');
    expect(original['printer.widthDots']).toBe('576');
    expect(original['pacs.timeoutMs']).toBe('30000');
    expect(original['ingest.usePolling']).toBe(false);
    expect(original['pacs.password']).toEqual({ action: 'keep', value: '' });
    expect(JSON.stringify(original)).not.toContain('hunter2');
    expect(secretIsSet(shown, 'pacs.password')).toBe(true);
    expect(secretIsSet(shown, 'server.apiKey')).toBe(false);
  });

  it('sends nothing when nothing changed', () => {
    expect(patchFromDraft(sections, original, original)).toEqual({ patch: {}, changed: [] });
  });

  it('sends only the changed leaves, typed, nested by section', () => {
    const { patch, changed } = edit({
      'pacs.dicomwebUrl': 'http://pacs:8042/dicom-web',
      'ingest.scp.port': '11113',
      'ingest.scp.enabled': true,
      'printer.widthDots': '384',
      'ingest.watchFolders': ' D:\\Export \n\n\\\\server\\share\\xray\n',
      'sync.diskWarnGB': '2.5',
    });
    expect(changed.sort()).toEqual(
      ['ingest.scp.enabled', 'ingest.scp.port', 'ingest.watchFolders', 'pacs.dicomwebUrl', 'printer.widthDots', 'sync.diskWarnGB'].sort(),
    );
    expect(patch).toEqual({
      pacs: { dicomwebUrl: 'http://pacs:8042/dicom-web' },
      ingest: { scp: { port: 11113, enabled: true }, watchFolders: ['D:\\Export', '\\\\server\\share\\xray'] },
      printer: { widthDots: 384 },
      sync: { diskWarnGB: 2.5 },
    });
    // What the form sends is what the core accepts.
    expect(settingsPatchSchema.safeParse(patch).success).toBe(true);
  });

  it('replaces, clears or keeps a secret', () => {
    expect(edit({ 'pacs.password': { action: 'replace', value: 'n3w' } }).patch).toEqual({ pacs: { password: 'n3w' } });
    expect(edit({ 'pacs.password': { action: 'clear', value: '' } }).patch).toEqual({ pacs: { password: '' } });
    expect(edit({ 'pacs.password': { action: 'replace', value: '' } }).changed).toEqual([]);
  });

  it('sends a number it cannot read as typed, so the core names the field', () => {
    const { patch } = edit({ 'pacs.timeoutMs': '30 s' });
    expect(patch).toEqual({ pacs: { timeoutMs: '30 s' } });
    const rejected = settingsPatchSchema.safeParse(patch);
    expect(rejected.success).toBe(false);
    expect(rejected.error?.issues[0]?.path).toEqual(['pacs', 'timeoutMs']);
  });
});
