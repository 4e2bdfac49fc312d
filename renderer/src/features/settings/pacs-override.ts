/**
 * The PACS values in the settings form, as `pacs.test` takes them — so "Kiểm tra kết nối" tests
 * what the operator typed before saving it. A secret left alone is omitted (the core uses the
 * saved one, which the renderer never sees); a cleared one is sent empty; a timeout that does not
 * parse is omitted and the saved one is used.
 */
import type { MethodInput } from '../../../../shared/contract';
import type { Draft, SecretDraft } from './settings-draft';

export type PacsOverride = Exclude<MethodInput<'pacs.test'>, undefined>;

function text(draft: Draft, path: string): string | undefined {
  const v = draft[path];
  return typeof v === 'string' ? v.trim() : undefined;
}

function secret(draft: Draft, path: string): string | undefined {
  const v = draft[path] as SecretDraft | undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (v.action === 'clear') return '';
  return v.action === 'replace' && v.value !== '' ? v.value : undefined;
}

export function pacsOverrideFromDraft(draft: Draft): PacsOverride {
  const timeout = text(draft, 'pacs.timeoutMs');
  const timeoutMs = timeout !== undefined && /^\d+$/.test(timeout) ? Number(timeout) : undefined;
  const out: PacsOverride = {
    dicomwebUrl: text(draft, 'pacs.dicomwebUrl'),
    username: text(draft, 'pacs.username'),
    password: secret(draft, 'pacs.password'),
    bearerToken: secret(draft, 'pacs.bearerToken'),
    caFile: text(draft, 'pacs.caFile'),
    timeoutMs: timeoutMs !== undefined && timeoutMs >= 1000 && timeoutMs <= 600_000 ? timeoutMs : undefined,
  };
  // Undefined keys would still be keys; the contract's strict object takes only what is set.
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as PacsOverride;
}
