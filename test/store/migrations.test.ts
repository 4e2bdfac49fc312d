/**
 * One test per schema migration: each applies on top of the one before it, and what it
 * creates is there afterwards. A new migration is picked up here automatically; add its own
 * expectation to `creates` below.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../electron/services/store/migrations';
import { migrate } from '../../electron/services/store/database';
import { tempDir } from '../support/temp-dir';

/** Tables (or table.column) each migration must leave behind. */
const creates: Record<string, string[]> = {
  foundation: ['operators', 'audit_log'],
  ingest: ['studies', 'series', 'instances', 'receipts', 'quarantine', 'outbox'],
  'ingest-sources': ['ingest_sources', 'quarantine.sha256'],
  review: ['instances.qa_decision', 'instances.qa_reason'],
  sync: ['outbox.verify_misses', 'outbox.purged_at'],
  visits: ['visits', 'studies.visit_id'],
  'visit-corrections': ['instances.send_path', 'instances.send_size', 'instances.desk_made', 'instances.replaced_by', 'studies.replaced_by', 'series.replaced_by'],
  'worklist-withdrawal': ['visits.withdrawn_at', 'visits.modality'],
  slips: ['slips', 'print_jobs'],
  film: ['service_catalog', 'film_exceptions', 'film_voids', 'film_approvals', 'visit_billing'],
  'records-outbox': ['records_outbox'],
  'server-revocations': ['slips.revoke_source', 'records_cursors'],
};

function has(db: Database.Database, what: string): boolean {
  const [table, column] = what.split('.');
  const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  return column ? cols.some((c) => c.name === column) : cols.length > 0;
}

describe('migrations', () => {
  it('have strictly increasing versions', () => {
    const versions = migrations.map((m) => m.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it.each(migrations.map((m, i) => [m.name, i] as const))('%s applies on top of the previous migrations', (name, i) => {
    const dir = tempDir();
    const db = new Database(join(dir.path, 'm.sqlite'));
    const prev = migrations[i - 1];
    migrate(db, migrations, prev ? prev.version : 0);
    const target = migrations[i]!;
    for (const w of creates[name] ?? []) expect(has(db, w), `${w} before ${name}`).toBe(false);
    migrate(db, migrations, target.version);
    expect(db.pragma('user_version', { simple: true })).toBe(target.version);
    for (const w of creates[name] ?? []) expect(has(db, w), `${w} after ${name}`).toBe(true);
    db.close();
    dir.remove();
  });

  it('running again changes nothing', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, 'm.sqlite'));
    migrate(db);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
    dir.remove();
  });
});
