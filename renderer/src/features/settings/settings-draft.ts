/**
 * The form's state and the patch it sends. A draft holds what the inputs show (strings, booleans);
 * `settings.update` receives only the leaves that changed, as a nested partial object — the core
 * deep-merges it and validates the whole result, so a wrong value comes back as a VALIDATION error
 * naming its field. Nothing is checked here; a number field that does not parse is sent as typed,
 * and the core says why it is wrong.
 */
import type { PublicSettings, SettingsPatch } from '../../../../shared/settings-schema';
import type { SettingField, SettingSection } from './settings-fields';

/** A secret is never shown: it is kept, replaced by a new value, or cleared. */
export interface SecretDraft {
  readonly action: 'keep' | 'replace' | 'clear';
  readonly value: string;
}

export type DraftValue = string | boolean | SecretDraft;
export type Draft = Readonly<Record<string, DraftValue>>;

export function readPath(source: unknown, path: string): unknown {
  let node: unknown = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Whether a secret is set, from the public settings (`pacs.password` → `pacs.passwordSet`). */
export function secretIsSet(settings: PublicSettings, path: string): boolean {
  return readPath(settings, `${path}Set`) === true;
}

function draftValue(field: SettingField, value: unknown): DraftValue {
  switch (field.kind.type) {
    case 'boolean':
      return value === true;
    case 'secret':
      return { action: 'keep', value: '' };
    case 'list':
      return Array.isArray(value) ? value.join('\n') : '';
    case 'choice':
      return JSON.stringify(value ?? null);
    case 'unsupported':
      return JSON.stringify(value ?? null);
    default:
      return value === undefined || value === null ? '' : String(value);
  }
}

export function draftFromSettings(sections: readonly SettingSection[], settings: PublicSettings): Draft {
  const draft: Record<string, DraftValue> = {};
  for (const { fields } of sections) for (const f of fields) draft[f.path] = draftValue(f, readPath(settings, f.path));
  return draft;
}

/** The value to send for a changed field, or `undefined` for "leave as is". */
function patchValue(field: SettingField, value: DraftValue): unknown {
  switch (field.kind.type) {
    case 'secret': {
      const secret = value as SecretDraft;
      if (secret.action === 'clear') return '';
      return secret.action === 'replace' && secret.value !== '' ? secret.value : undefined;
    }
    case 'list':
      return String(value)
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'number': {
      const text = String(value).trim();
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    }
    case 'choice':
      return JSON.parse(String(value)) as unknown;
    case 'unsupported':
      return undefined;
    default:
      return value;
  }
}

function same(a: DraftValue | undefined, b: DraftValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The changed leaves as a nested partial, and their paths (empty: nothing to save). */
export function patchFromDraft(
  sections: readonly SettingSection[],
  original: Draft,
  draft: Draft,
): { patch: SettingsPatch; changed: string[] } {
  const patch: Record<string, unknown> = {};
  const changed: string[] = [];
  for (const { fields } of sections) {
    for (const field of fields) {
      const value = draft[field.path];
      if (value === undefined || same(value, original[field.path])) continue;
      const out = patchValue(field, value);
      if (out === undefined) continue;
      writePath(patch, field.path, out);
      changed.push(field.path);
    }
  }
  return { patch: patch as SettingsPatch, changed };
}

function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = target;
  for (const key of keys) {
    const next = node[key];
    if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else node = node[key] = {};
  }
  node[last] = value;
}
