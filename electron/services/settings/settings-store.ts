/**
 * Settings: one zod schema (shared/settings-schema.ts) over a JSON file. Outside Electron the file
 * is written by `conf`; inside Electron by `electron-store`, which wraps the same library, so the
 * file format is the same and a desk can move between the two.
 */
import { settingsSchema, settingsPatchSchema, type Settings, type SettingsPatch } from '../../../shared/settings-schema';
import { DeskError } from '../../../shared/errors';

/** The storage underneath: conf or electron-store, both expose a whole-object `store`. */
export interface SettingsStorage {
  read(): unknown;
  write(value: Settings): void;
}

export interface SettingsStore {
  get(): Settings;
  /** Deep-merges the patch, validates the whole result, then persists it. */
  update(patch: SettingsPatch): Settings;
  /** Called after every successful update. */
  onChange(fn: (s: Settings) => void): () => void;
}

export function createSettingsStore(storage: SettingsStorage): SettingsStore {
  const initial = settingsSchema.safeParse(storage.read() ?? {});
  // A file damaged by hand must not stop the desk: fall back to defaults and keep the file's
  // values that still validate on the next save (they are overwritten only by an update).
  let current: Settings = initial.success ? initial.data : settingsSchema.parse({});
  const listeners = new Set<(s: Settings) => void>();

  return {
    get: () => current,
    update(patch) {
      const checkedPatch = settingsPatchSchema.safeParse(patch);
      if (!checkedPatch.success) throw validationError(checkedPatch.error.issues);
      const merged = settingsSchema.safeParse(deepMerge(current, checkedPatch.data));
      if (!merged.success) throw validationError(merged.error.issues);
      storage.write(merged.data);
      current = merged.data;
      for (const fn of listeners) fn(current);
      return current;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

function validationError(issues: readonly { path: readonly PropertyKey[]; message: string }[]): DeskError {
  const first = issues[0];
  const field = first ? first.path.map(String).join('.') : '';
  return new DeskError('VALIDATION', { field, detail: first?.message ?? '' }, { field });
}

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = v === undefined ? out[k] : deepMerge(out[k], v);
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
