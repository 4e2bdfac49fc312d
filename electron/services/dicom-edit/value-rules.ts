/**
 * What a new value must look like to be written into a top-level element: the length limits and
 * character repertoires of PS3.5 §6.2 (Table 6.2-1). Values are single-valued here, so the value
 * separator `\` is never allowed, nor control characters.
 */
import { DeskError } from '../../../shared/errors';

interface Rule {
  readonly max: number;
  readonly pattern?: RegExp;
}

const RULES: Readonly<Record<string, Rule>> = {
  PN: { max: 64 }, // per component group
  LO: { max: 64 },
  SH: { max: 16 },
  CS: { max: 16, pattern: /^[A-Z0-9 _]*$/ },
  DA: { max: 8, pattern: /^(\d{8})?$/ },
  DT: { max: 26, pattern: /^[0-9.+-]*$/ },
  TM: { max: 16, pattern: /^[0-9.]*$/ },
  UI: { max: 64, pattern: /^[0-9.]*$/ },
};

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/** Throws DICOM_EDIT_VALUE when `value` cannot be written as a single value of `vr`. */
export function checkNewValue(keyword: string, vr: string, value: string): void {
  const rule = RULES[vr];
  if (!rule) throw new RangeError(`no rule for VR ${vr}`);
  const fail = () => new DeskError('DICOM_EDIT_VALUE', { name: keyword, max: rule.max });
  if (FORBIDDEN.test(value)) throw fail();
  if (rule.pattern && !rule.pattern.test(value)) throw fail();
  const parts = vr === 'PN' ? value.split('=') : [value];
  if (parts.some((p) => [...p].length > rule.max)) throw fail();
}
