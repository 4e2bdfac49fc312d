/**
 * Specific Character Set (0008,0005) → text, for the character sets a corrected copy can be
 * transcoded from (PS3.3 C.12.1.1.2, PS3.5 §6.1). When a new value needs a character the file's
 * set lacks, the copy becomes ISO_IR 192 (UTF-8) and every existing text value is re-encoded; a
 * set that cannot be decoded faithfully here (ISO 2022 code extensions, several terms) is refused
 * rather than guessed — unless the values in it are plain ASCII, which every set shares.
 */

export const UTF8_TERM = 'ISO_IR 192';

/**
 * Single-byte sets without code extensions (PS3.3 Table C.12-2) and the multi-byte sets that
 * need none (Table C.12-4), mapped to WHATWG encoding labels.
 */
const DECODER_LABELS: Readonly<Record<string, string>> = {
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** The terms of a Specific Character Set value; [] for the default repertoire. */
export function charsetTerms(raw: string): string[] {
  const terms = raw.split('\\').map((t) => t.trim());
  return terms.every((t) => t === '') ? [] : terms;
}

export function isAscii(bytes: Uint8Array): boolean {
  return bytes.every((b) => b < 0x80);
}

/**
 * Decodes a text value written in `terms`. Undefined when the bytes are not valid in that set or
 * the set is not one this module decodes faithfully.
 */
export function decodeText(bytes: Uint8Array, terms: readonly string[]): string | undefined {
  if (isAscii(bytes)) return Buffer.from(bytes).toString('latin1');
  if (terms.length !== 1) return undefined; // default repertoire is ASCII; several terms mean ISO 2022
  const term = terms[0] as string;
  if (term === UTF8_TERM) return fatalDecode('utf-8', bytes);
  if (term === 'ISO_IR 100') {
    // ISO 8859-1 proper: WHATWG maps the label to windows-1252, which differs in 0x80–0x9F — C1
    // controls that no DICOM text value may contain anyway.
    return bytes.some((b) => b >= 0x80 && b < 0xa0) ? undefined : Buffer.from(bytes).toString('latin1');
  }
  const label = DECODER_LABELS[term];
  return label ? fatalDecode(label, bytes) : undefined;
}

function fatalDecode(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * dcmjs decodes text inside sequence items as windows-1252 whatever the data set's character set
 * (FIELD-NOTES). windows-1252 as WHATWG defines it maps each of the 256 byte values to a distinct
 * character, so the original bytes can be recovered exactly and decoded again as UTF-8.
 */
const CP1252_TO_BYTE: ReadonlyMap<string, number> = (() => {
  const decoder = new TextDecoder('windows-1252');
  const map = new Map<string, number>();
  for (let b = 0; b < 256; b++) map.set(decoder.decode(Uint8Array.of(b)), b);
  return map;
})();

/**
 * Undoes dcmjs's windows-1252 reading of a UTF-8 value. Returns the value unchanged when it
 * cannot be such a misreading (a character outside windows-1252, or bytes that are not UTF-8) —
 * so a value dcmjs happened to decode correctly survives.
 */
export function redecodeCp1252AsUtf8(value: string): string {
  const bytes: number[] = [];
  for (const ch of value) {
    const b = CP1252_TO_BYTE.get(ch);
    if (b === undefined) return value;
    bytes.push(b);
  }
  return fatalDecode('utf-8', Uint8Array.from(bytes)) ?? value;
}
