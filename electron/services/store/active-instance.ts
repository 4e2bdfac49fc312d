/**
 * Which `instances` rows a view shows (migration 031): not replaced by a correction, and not a
 * rejection note the desk made for the PACS (IHE IOCM) — those exist only to be sent.
 */
export function activeInstanceSql(alias = 'i'): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`activeInstanceSql: bad alias ${alias}`);
  return `${alias}.replaced_by IS NULL AND (${alias}.desk_made IS NULL OR ${alias}.desk_made = 'correction')`;
}
