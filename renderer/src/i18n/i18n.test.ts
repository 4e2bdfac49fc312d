import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeSettings } from '../features/settings/settings-fields';
import { ROUTE_IDS } from '../app/routes';
import { catalogueFor } from './i18n';

type Tree = { readonly [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix + key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, `${path}.`)) out.set(k, v);
  }
  return out;
}

// The shell's strings plus every feature's own `features/<name>/i18n/*.json`, as the app loads them.
const catalogues = { vi: flatten(catalogueFor('vi')), en: flatten(catalogueFor('en')) };
const srcDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('i18n catalogues', () => {
  it('vi and en have exactly the same keys', () => {
    const viKeys = [...catalogues.vi.keys()].sort();
    const enKeys = [...catalogues.en.keys()].sort();
    expect(viKeys.filter((k) => !catalogues.en.has(k))).toEqual([]);
    expect(enKeys.filter((k) => !catalogues.vi.has(k))).toEqual([]);
    expect(viKeys.length).toBeGreaterThan(100);
  });

  it('has no empty message and the same {{placeholders}} in both languages', () => {
    for (const [key, viText] of catalogues.vi) {
      const enText = catalogues.en.get(key) ?? '';
      expect(viText.trim(), key).not.toBe('');
      expect(enText.trim(), key).not.toBe('');
      const slots = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(slots(enText), key).toEqual(slots(viText));
    }
  });

  it('labels every settings key, in both languages', () => {
    for (const section of describeSettings()) {
      for (const lang of ['vi', 'en'] as const) {
        expect(catalogues[lang].has(`settingsSection.${section.id}`), `${lang} settingsSection.${section.id}`).toBe(true);
        for (const field of section.fields) {
          expect(catalogues[lang].has(`settingsField.${field.path}`), `${lang} settingsField.${field.path}`).toBe(true);
        }
      }
    }
  });

  it('names every page of the navigation', () => {
    for (const id of ROUTE_IDS) expect(catalogues.vi.has(`nav.${id}`), id).toBe(true);
  });

  it('has every literal key the code asks for', () => {
    const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'),
    );
    const used = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(join(srcDir, file), 'utf8').matchAll(/\bt\(\s*'([\w.-]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((k) => !catalogues.vi.has(k))).toEqual([]);
  });

  it('keeps the language picker label bilingual in both languages', () => {
    expect(catalogues.vi.get('language.label')).toBe(catalogues.en.get('language.label'));
  });
});
