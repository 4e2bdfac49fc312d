/**
 * A slips service on a real SQLite file in a temp folder, a manual clock, settings held in
 * memory, and visits/studies inserted straight into their tables (the visits capability owns
 * creating them). Plus helpers to turn captured bytes back into a scanned URL.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { manualClock } from '../../electron/services/clock';
import { memoryLogger } from '../../electron/services/logger';
import { settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings-schema';
import { deepMerge } from '../../electron/services/settings/settings-store';
import { createPrinterService, type PrinterService } from '../../electron/services/printer/printer-service';
import type { PrinterPort } from '../../electron/services/printer/printer-port';
import { getBit, type BitRaster } from '../../electron/services/printer/bit-raster';
import { createSlips, type SlipCaller, type SlipsService } from '../../electron/services/slips/slips-service';
import { BUNDLED_FONTS_DIR } from '../../electron/services/slips/slip-fonts';
import { tempDir } from '../support/temp-dir';

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const PORTAL = 'https://ketqua.phongkham-hongduc.vn';
export const LONG_NAME = 'NGUYỄN THỊ PHƯƠNG THẢO HOÀNG LÊ MINH KHUÊ TRẦN';
export const THREE_EXAMS = ['X-quang ngực thẳng', 'X-quang cột sống thắt lưng thẳng nghiêng', 'X-quang khớp gối hai bên tư thế đứng chịu lực'];

export interface SlipsFixture {
  db: Db;
  clock: ReturnType<typeof manualClock>;
  logger: ReturnType<typeof memoryLogger>;
  settings: { get(): Settings; set(patch: SettingsPatch): void };
  printer: PrinterService;
  slips: SlipsService;
  caller: SlipCaller & { subjects: { patientID: string; detail: Record<string, unknown> }[] };
  close(): void;
}

export function slipsFixture(opts: { settings?: SettingsPatch; openPort?: (iface: string) => PrinterPort } = {}): SlipsFixture {
  const dir = tempDir('raddesk-slips-');
  const db = openDatabase(join(dir.path, 'desk.sqlite'));
  const clock = manualClock(Date.UTC(2026, 0, 15, 2, 30, 0));
  const logger = memoryLogger();
  let current = settingsSchema.parse(
    deepMerge(
      {
        clinic: { name: 'Phòng khám Đa khoa Hồng Đức', address: '123 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh', phone: '028 3812 3456' },
        portal: { baseUrl: PORTAL },
        printer: { timeoutMs: 500 },
      },
      opts.settings ?? {},
    ),
  );
  const settings = {
    get: () => current,
    set(patch: SettingsPatch) {
      current = settingsSchema.parse(deepMerge(current, patch));
    },
  };
  const printer = createPrinterService({ db, clock, logger, settings, ...(opts.openPort ? { openPort: opts.openPort } : {}) });
  const slips = createSlips({ db, clock, logger, settings, printer, fontsDir: BUNDLED_FONTS_DIR, timeZone: TIME_ZONE });
  const subjects: { patientID: string; detail: Record<string, unknown> }[] = [];
  const caller = { operatorId: 'op-1', operatorName: 'Trần Văn Đức', subjects, audit: (s: { patientID: string; detail: Record<string, unknown> }) => void subjects.push(s) };
  return {
    db,
    clock,
    logger,
    settings,
    printer,
    slips,
    caller,
    close() {
      db.close();
      dir.remove();
    },
  };
}

let counter = 0;

export function insertVisit(
  db: Db,
  v: Partial<{ patientName: string; patientID: string; birthDate: string; sex: '' | 'M' | 'F' | 'O'; procedureName: string; studyInstanceUID: string }> = {},
): { id: string; visitNumber: string; patientID: string } {
  counter += 1;
  const id = randomUUID();
  const visitNumber = `KB-2026-${String(counter).padStart(6, '0')}`;
  const patientID = v.patientID ?? `BN${String(100000 + counter)}`;
  db.prepare(
    `INSERT INTO visits (id, visit_number, source, patient_id, patient_name, birth_date, sex, study_instance_uid, procedure_name, scheduled_at, created_at, updated_at)
     VALUES (?, ?, 'worklist', ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  ).run(
    id,
    visitNumber,
    patientID,
    v.patientName ?? 'NGUYỄN VĂN ẤN',
    v.birthDate ?? '19850312',
    v.sex ?? 'F',
    v.studyInstanceUID ?? '',
    v.procedureName ?? 'X-quang ngực thẳng',
    Date.UTC(2026, 0, 15, 2, 0, 0),
  );
  return { id, visitNumber, patientID };
}

export function insertStudy(db: Db, visitId: string, uid: string, description: string, date = '20260115', time = '093015'): void {
  db.prepare(
    `INSERT INTO studies (study_uid, patient_id, patient_name, study_description, study_date, study_time, first_received_at, last_received_at, visit_id)
     VALUES (?, '', '', ?, ?, ?, 1, 1, ?)`,
  ).run(uid, description, date, time, visitId);
}

/** RGBA pixels of a raster (black on white), as jsQR and PNG writers take them. */
export function rasterToRgba(r: BitRaster): Uint8ClampedArray {
  const out = new Uint8ClampedArray(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const v = getBit(r, x, y) ? 0 : 255;
      const i = (y * r.width + x) * 4;
      out[i] = out[i + 1] = out[i + 2] = v;
      out[i + 3] = 255;
    }
  }
  return out;
}

export function scanQr(r: BitRaster): string | null {
  return jsQR(rasterToRgba(r), r.width, r.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

export function outboxRecords(db: Db, kind?: string): { id: string; kind: string; payload: Record<string, unknown> }[] {
  const rows = (kind ? db.prepare('SELECT id, kind, payload FROM records_outbox WHERE kind = ? ORDER BY rowid').all(kind) : db.prepare('SELECT id, kind, payload FROM records_outbox ORDER BY rowid').all()) as {
    id: string;
    kind: string;
    payload: string;
  }[];
  return rows.map((r) => ({ id: r.id, kind: r.kind, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

/** Every text value in every table, to prove a secret is stored nowhere. */
export function allStoredText(db: Db): string {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
}
