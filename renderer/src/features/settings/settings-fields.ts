/**
 * The settings form is derived from `settingsSchema` itself, so a key another capability adds
 * appears on the page without touching this code: sections are the top-level keys, fields are the
 * leaves (nested objects such as `ingest.scp` flatten to `ingest.scp.port`), and each leaf's type
 * picks its input. Labels come from i18n (`settingsField.<path>`; a test checks every leaf has one
 * in both languages). The schema is read for its shape only — validation stays in the core.
 */
import { z } from 'zod';
import { SECRET_PATHS, settingsSchema } from '../../../../shared/settings-schema';

export type FieldKind =
  | { readonly type: 'text'; readonly url: boolean }
  | { readonly type: 'number'; readonly min: number | null; readonly max: number | null; readonly integer: boolean }
  | { readonly type: 'boolean' }
  | { readonly type: 'choice'; readonly options: readonly (string | number)[] }
  /** string[]: one entry per line. */
  | { readonly type: 'list' }
  /** Never read back: the public settings only say whether it is set (`<path>Set`). */
  | { readonly type: 'secret' }
  /** A shape this form does not know how to edit yet: shown, not editable. */
  | { readonly type: 'unsupported' };

export interface SettingField {
  /** Dotted path, e.g. `pacs.dicomwebUrl` — the same path a VALIDATION error names. */
  readonly path: string;
  readonly kind: FieldKind;
}

export interface SettingSection {
  readonly id: string;
  readonly fields: readonly SettingField[];
}

const SECRETS: ReadonlySet<string> = new Set(SECRET_PATHS);

export function describeSettings(schema: z.ZodObject = settingsSchema): SettingSection[] {
  return Object.entries(schema.shape).map(([id, section]) => ({ id, fields: leaves(section as z.ZodType, id) }));
}

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner;
}

function leaves(schema: z.ZodType, path: string): SettingField[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape).flatMap(([key, child]) => leaves(child as z.ZodType, `${path}.${key}`));
  }
  return [{ path, kind: SECRETS.has(path) ? { type: 'secret' } : kindOf(inner) }];
}

function kindOf(schema: z.ZodType): FieldKind {
  if (schema instanceof z.ZodBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodNumber) {
    const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
    return { type: 'number', min: finite(schema.minValue), max: finite(schema.maxValue), integer: schema.isInt };
  }
  if (schema instanceof z.ZodEnum) return { type: 'choice', options: schema.options as (string | number)[] };
  if (schema instanceof z.ZodString) return { type: 'text', url: false };
  if (schema instanceof z.ZodArray && unwrap(schema.element as z.ZodType) instanceof z.ZodString) return { type: 'list' };
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as z.ZodType[];
    const literals = options.filter((o): o is z.ZodLiteral => o instanceof z.ZodLiteral);
    // `'' | url`: an optional URL.
    if (options.some((o) => o instanceof z.ZodURL) && literals.length === options.length - 1) return { type: 'text', url: true };
    if (literals.length === options.length) return { type: 'choice', options: literals.flatMap((l) => [...l.values] as (string | number)[]) };
  }
  return { type: 'unsupported' };
}

/** The field a VALIDATION error names: itself, or the field whose path starts it (`ingest.watchFolders.0`). */
export function fieldForErrorPath(sections: readonly SettingSection[], errorPath: string | undefined): SettingField | null {
  if (!errorPath) return null;
  for (const section of sections) {
    for (const field of section.fields) {
      if (errorPath === field.path || errorPath.startsWith(`${field.path}.`)) return field;
    }
  }
  return null;
}
