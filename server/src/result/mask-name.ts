/**
 * The patient's name as the result page shows it: enough for the patient to recognise their own
 * result, not enough for a stranger looking over a shoulder. The family name (first word, in
 * Vietnamese order) stays; every other word keeps its first letter: "NGUYỄN VĂN AN" →
 * "NGUYỄN V** A*". Letters are counted as user-perceived characters (NFC, so "Ễ" is one).
 * DICOM `^` component separators count as spaces.
 */
export function maskName(name: string): string {
  const words = name.normalize('NFC').replace(/\^/g, ' ').trim().split(/\s+/).filter(Boolean);
  return words
    .map((w, i) => {
      if (i === 0) return w;
      const letters = Array.from(w);
      return (letters[0] ?? '') + '*'.repeat(letters.length - 1);
    })
    .join(' ');
}
