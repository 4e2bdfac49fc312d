/**
 * Value representations the tag editor needs to know about: which VRs hold text subject to
 * Specific Character Set (PS3.5 §6.1.2.3), and the data dictionary's VR for implicit-VR data sets
 * (PS3.5 §7.1.3, Annex A.1), borrowed from dcmjs's copy of PS3.6.
 */
import dcmjs from 'dcmjs';

/** VRs whose values are encoded with the Specific Character Set (PS3.5 §6.1.2.3). */
export const CHARSET_TEXT_VRS: ReadonlySet<string> = new Set(['SH', 'LO', 'UC', 'ST', 'LT', 'UT', 'PN']);

interface DictionaryEntry {
  readonly vr: string;
}
// The ingest's declaration of dcmjs does not list the dictionary; it is a plain lookup object.
const dictionary = (dcmjs.data.DicomMetaDictionary as unknown as { dictionary: Readonly<Record<string, DictionaryEntry | undefined>> }).dictionary;

/** The VR PS3.6 gives a tag, or 'UN' (private data elements, retired repeating groups, unknown tags). */
export function dictionaryVr(tag: number): string {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  if (element === 0x0000) return 'UL'; // group length (PS3.5 §7.2)
  if (group % 2 === 1) {
    // Private creator data elements (gggg,0010-00FF) are LO (PS3.5 §7.8.1); the rest is opaque.
    return element >= 0x0010 && element <= 0x00ff ? 'LO' : 'UN';
  }
  const hex = tag.toString(16).padStart(8, '0').toUpperCase();
  const vr = dictionary[`(${hex.slice(0, 4)},${hex.slice(4)})`]?.vr;
  return vr && /^[A-Z]{2}$/.test(vr) ? vr : 'UN';
}
