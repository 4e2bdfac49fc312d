/**
 * Start-up reconciliation of the store, the quarantine, the C-STORE spool and the database after
 * whatever stopped the desk (kill -9, power loss, a crash). Each rule leaves every file either
 * recorded exactly once or still waiting at its source:
 *
 * - store/.incoming `<uuid>.part`: a copy in flight; its source is untouched → delete the copy.
 * - store/.incoming `<uuid>.json` journal: rename into the store happened, commit maybe not.
 *   Row exists → committed, drop the journal. No row → delete the stored copy and the journal;
 *   the source is still in the export folder (it leaves only after a commit) and is redone.
 * - ingest's own store files (`yyyy/mm/dd/<uuid>.dcm`) that no row names and no journal covers
 *   (a database restored from an older copy): returned as `orphans`, to be ingested again.
 *   Files other capabilities keep in the store (e.g. visits' `corrected/` copies) are theirs.
 * - rows whose file is missing (not yet sent): outbox 'failed' with MISSING_FILE, for the operator.
 * - quarantine `<id>.dcm` + sidecar without a row: the move happened, the commit did not. If the
 *   source still exists unchanged the move was a cross-device copy → drop the copy (the source is
 *   redone); otherwise record the row from the sidecar. A lone sidecar is dropped (the move never
 *   happened). Temporary files are removed.
 * - spool `.part` (association cut mid-object; the modality resends) → delete; spool `.dcm`
 *   (received, not yet through the pipeline) → returned as `spooled`, to be ingested.
 * - export folders need nothing here: the watcher's initial scan offers every file again, and a
 *   file whose (path, size, mtime) already has a receipt only has its move finished.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';
import type { Db } from '../store/database';
import { recordQuarantine } from '../store/ingest-records';
import type { IngestPaths } from './ingest-paths';
import type { QuarantineSidecar } from './pipeline';
import { isReasonCode, reasonMessages } from './reasons';

/** The names the pipeline gives accepted files (pipeline.ts): nothing else in the store is ingest's. */
const INGEST_NAME = /^\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.dcm$/;

export interface ReconcileReport {
  incomingRemoved: number;
  journalsCommitted: number;
  journalsRolledBack: number;
  quarantineRecovered: number;
  quarantineDropped: number;
  missingFiles: number;
  /** Store files no row knows: to ingest again. */
  orphans: string[];
  /** Complete C-STORE objects not yet ingested. */
  spooled: string[];
}

async function list(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch {
    return [];
  }
}

async function walkFiles(dir: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (p === skip) continue;
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) out.push(p);
    }
  }
  return out;
}

export async function reconcile(db: Db, paths: IngestPaths, logger: Logger): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    incomingRemoved: 0,
    journalsCommitted: 0,
    journalsRolledBack: 0,
    quarantineRecovered: 0,
    quarantineDropped: 0,
    missingFiles: 0,
    orphans: [],
    spooled: [],
  };

  // 1. Copies in flight and journals.
  const hasRow = db.prepare('SELECT 1 FROM instances WHERE file_path = ?');
  for (const name of await list(paths.incoming)) {
    const p = path.join(paths.incoming, name);
    if (name.endsWith('.json')) {
      let rel: string | null;
      try {
        rel = (JSON.parse(await fsp.readFile(p, 'utf8')) as { rel?: string }).rel ?? null;
      } catch {
        rel = null;
      }
      if (rel && hasRow.get(rel)) report.journalsCommitted++;
      else {
        if (rel && !path.isAbsolute(rel) && !rel.split('/').includes('..')) await fsp.rm(path.join(paths.store, rel), { force: true });
        report.journalsRolledBack++;
      }
      await fsp.rm(p, { force: true });
    } else {
      await fsp.rm(p, { force: true });
      report.incomingRemoved++;
    }
  }

  // 2. Ingest's own store files without rows.
  const referenced = db.prepare('SELECT file_path FROM instances UNION SELECT send_path FROM instances WHERE send_path IS NOT NULL').pluck().all() as string[];
  const known = new Set(referenced.map((r) => path.join(paths.store, r)));
  for (const f of await walkFiles(paths.store, paths.incoming)) {
    const rel = path.relative(paths.store, f).split(path.sep).join('/');
    if (INGEST_NAME.test(rel) && !known.has(f)) report.orphans.push(f);
  }

  // 3. Rows without files (only those the PACS does not hold yet).
  const rows = db
    .prepare(
      `SELECT i.id, i.file_path FROM instances i JOIN outbox o ON o.instance_id = i.id
       WHERE o.status IN ('held', 'pending', 'sending', 'failed') AND COALESCE(o.last_error_code, '') <> 'MISSING_FILE'`,
    )
    .all() as Array<{ id: number; file_path: string }>;
  const markMissing = db.prepare(
    "UPDATE outbox SET status = 'failed', last_error_code = 'MISSING_FILE', last_error = 'store file missing at start', lease_owner = NULL, lease_until = NULL WHERE instance_id = ?",
  );
  for (const r of rows) {
    try {
      await fsp.access(path.join(paths.store, r.file_path));
    } catch {
      markMissing.run(r.id);
      report.missingFiles++;
      logger.error('stored file missing', { instanceId: r.id });
    }
  }

  // 4. Quarantine files and sidecars without rows.
  const knownQ = new Set(db.prepare('SELECT id FROM quarantine').pluck().all() as string[]);
  const qNames = await list(paths.quarantine);
  const ids = new Set<string>();
  for (const name of qNames) {
    const m = /^([0-9a-f-]{36})\.(dcm|json)$/.exec(name);
    if (m) ids.add(m[1]!);
    else if (/\.(tmp|copying)$/.test(name)) await fsp.rm(path.join(paths.quarantine, name), { force: true });
  }
  for (const id of ids) {
    if (knownQ.has(id)) continue;
    const dcm = path.join(paths.quarantine, `${id}.dcm`);
    const json = path.join(paths.quarantine, `${id}.json`);
    const hasDcm = qNames.includes(`${id}.dcm`);
    const hasJson = qNames.includes(`${id}.json`);
    let sidecar: QuarantineSidecar | null = null;
    if (hasJson) {
      try {
        sidecar = JSON.parse(await fsp.readFile(json, 'utf8')) as QuarantineSidecar;
      } catch {
        sidecar = null;
      }
    }
    if (!hasDcm) {
      await fsp.rm(json, { force: true });
      report.quarantineDropped++;
      continue;
    }
    if (sidecar?.sourcePath) {
      const src = await fsp.stat(sidecar.sourcePath).catch(() => null);
      if (src && src.size === sidecar.sourceSize && Math.floor(src.mtimeMs) === sidecar.sourceMtimeMs) {
        await fsp.rm(dcm, { force: true });
        await fsp.rm(json, { force: true });
        report.quarantineDropped++;
        continue;
      }
    }
    const st = await fsp.stat(dcm);
    const reason = sidecar && isReasonCode(sidecar.reason) ? sidecar.reason : 'PARSE_ERROR';
    const detail = sidecar ? sidecar.detail : 'recovered without its sidecar';
    const messages = reasonMessages(reason, detail);
    recordQuarantine(db, {
      id,
      originalName: sidecar?.originalName ?? `${id}.dcm`,
      filePath: `${id}.dcm`,
      reason,
      messageVi: messages.vi,
      messageEn: messages.en,
      detail,
      receivedAt: sidecar?.receivedAt ?? Math.floor(st.mtimeMs),
      sopInstanceUID: sidecar?.sopInstanceUID ?? null,
      sha256: sidecar?.sha256 ?? '',
      size: st.size,
      source: sidecar?.source === 'scp' ? 'scp' : 'folder',
      sourceKey: null,
    });
    report.quarantineRecovered++;
  }

  // 5. The C-STORE spool.
  for (const name of await list(paths.spool)) {
    const p = path.join(paths.spool, name);
    if (name.endsWith('.dcm')) report.spooled.push(p);
    else await fsp.rm(p, { force: true });
  }

  logger.info('ingest reconciled', {
    incomingRemoved: report.incomingRemoved,
    journalsCommitted: report.journalsCommitted,
    journalsRolledBack: report.journalsRolledBack,
    quarantineRecovered: report.quarantineRecovered,
    quarantineDropped: report.quarantineDropped,
    missingFiles: report.missingFiles,
    orphans: report.orphans.length,
    spooled: report.spooled.length,
  });
  return report;
}
