/**
 * Accent- and case-folding for search: "Nguyễn Văn Đức" and "nguyen van duc" must find each other,
 * because at the desk names are typed fast and often without diacritics (Telex/VNI not switched on).
 *
 * NFD splits a letter from its combining marks (U+0300–U+036F), which are then dropped. Đ/đ is a
 * letter of its own in Unicode (it has no decomposition), so it is mapped to d by hand. DICOM's
 * PN component separator `^` becomes a space, so family and given names search like one string.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/\^/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a search query, folded: every word must appear in the folded target. */
export function foldedWords(query: string): string[] {
  const f = foldText(query);
  return f === '' ? [] : f.split(' ');
}
