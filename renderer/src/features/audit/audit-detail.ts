/**
 * One short line for an audit record's `detail` (e.g. `keys: pacs.dicomwebUrl, ui.language ·
 * error: PIN_WRONG`). Handlers put small structured facts there, never secrets or tokens; an
 * operator id among them is shown as the operator's name, since that is what a reader looks for.
 */
export function formatDetail(detail: Readonly<Record<string, unknown>>, nameOf: (id: string) => string | undefined = () => undefined): string {
  const value = (v: unknown): string => {
    if (Array.isArray(v)) return v.map(value).join(', ');
    if (v === null || v === undefined) return '—';
    if (typeof v === 'string') return nameOf(v) ?? v;
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  return Object.entries(detail)
    .map(([key, v]) => `${key}: ${value(v)}`)
    .join(' · ');
}
