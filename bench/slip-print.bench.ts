/**
 * Click to bytes at the printer socket: from calling `slips.print` (read the visit, issue the
 * token, draw, threshold, encode ESC/POS, store slip + record, ask the printer for paper, send)
 * until the last byte of the job has arrived at a loopback capture printer — against writing the
 * same bytes to the same socket alone. Target: ≤ 150 ms median.
 */
import net from 'node:net';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { median, type BenchResult } from './bench-result';
import { startPrinterCapture, type PrinterCapture } from '../test/support/printer-capture';
import { openDatabase } from '../electron/services/store/database';
import { systemClock } from '../electron/services/clock';
import { silentLogger } from '../electron/services/logger';
import { settingsSchema } from '../shared/settings-schema';
import { createPrinterService } from '../electron/services/printer/printer-service';
import { encodeRasterJob } from '../electron/services/printer/escpos';
import { createSlips } from '../electron/services/slips/slips-service';
import { BUNDLED_FONTS_DIR } from '../electron/services/slips/slip-fonts';
import { buildSlipContent } from '../electron/services/slips/slip-content';
import { renderSlip } from '../electron/services/slips/slip-layout';
import { readSlipVisit } from '../electron/services/slips/visit-query';
import { tempDir } from '../test/support/temp-dir';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 8 : 40;
const WARMUP = 3;

/** Resolves at the moment the capture parses the next command of kind `op`. */
function nextArrival(capture: PrinterCapture, op: 'status-gs-r'): Promise<number> {
  return new Promise((resolve) => {
    capture.onCommand((_conn, cmd, at) => {
      if (cmd.op === op) {
        capture.onCommand(null);
        resolve(at);
      }
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  const dir = tempDir('raddesk-bench-slip-');
  const capture = await startPrinterCapture();
  const db = openDatabase(join(dir.path, 'desk.sqlite'));
  try {
    const settings = settingsSchema.parse({
      clinic: { name: 'Phòng khám Đa khoa Hồng Đức', address: '123 Nguyễn Trãi, Quận 1, TP. Hồ Chí Minh', phone: '028 3812 3456' },
      portal: { baseUrl: 'https://ketqua.phongkham-hongduc.vn' },
      printer: { interface: capture.uri, widthDots: 576 },
    });
    const store = { get: () => settings };
    const printer = createPrinterService({ db, clock: systemClock, logger: silentLogger, settings: store });
    const slips = createSlips({ db, clock: systemClock, logger: silentLogger, settings: store, printer, fontsDir: BUNDLED_FONTS_DIR, timeZone: 'Asia/Ho_Chi_Minh' });
    const caller = { operatorId: null, operatorName: 'Trần Văn Đức', audit: () => undefined };

    const visitIds = Array.from({ length: WARMUP + RUNS }, (_, i) => {
      const id = randomUUID();
      db.prepare(
        `INSERT INTO visits (id, visit_number, source, patient_id, patient_name, birth_date, sex, procedure_name, created_at, updated_at)
         VALUES (?, ?, 'worklist', ?, ?, '19850312', 'F', 'X-quang ngực thẳng', 0, 0)`,
      ).run(id, `KB-${i}`, `BN${i}`, 'NGUYỄN THỊ PHƯƠNG THẢO HOÀNG LÊ MINH KHUÊ');
      return id;
    });

    const click: number[] = [];
    let lastJob: Buffer = Buffer.alloc(0);
    for (const [i, visitId] of visitIds.entries()) {
      const arrived = nextArrival(capture, 'status-gs-r');
      const t0 = performance.now();
      await slips.print(visitId, caller);
      const t1 = await arrived;
      lastJob = (await capture.nextClosed()).bytes();
      if (i >= WARMUP) click.push(t1 - t0);
    }

    // The anchor: the same bytes, one connection, written and received, nothing else.
    const raw: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const arrived = nextArrival(capture, 'status-gs-r');
      const t0 = performance.now();
      const socket = net.connect(capture.port, '127.0.0.1', () => socket.end(lastJob));
      socket.on('error', () => undefined);
      const t1 = await arrived;
      socket.destroy();
      await capture.nextClosed();
      if (i >= WARMUP) raw.push(t1 - t0);
    }

    // Where the time goes: drawing + thresholding + ESC/POS encoding alone.
    const visit = readSlipVisit(db, visitIds[0]!)!;
    const draw: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      encodeRasterJob(
        renderSlip(
          buildSlipContent({ visit, settings, url: `${settings.portal.baseUrl}/r/${'A'.repeat(22)}`, lookupCode: 'ABCD-2345', expiresAt: 0, technician: 'Trần Văn Đức', timeZone: 'Asia/Ho_Chi_Minh' }),
          576,
        ),
      );
      if (i >= WARMUP) draw.push(performance.now() - t0);
    }

    const c = median(click);
    const r = median(raw);
    return [
      {
        name: 'slip click → bytes at printer socket vs raw socket write',
        ratio: c / r,
        detail: `click ${c.toFixed(1)} ms median (target ≤ 150 ms) vs raw write ${r.toFixed(2)} ms; render+encode ${median(draw).toFixed(1)} ms; ${lastJob.length} bytes; ${RUNS} runs; lower is better`,
      },
    ];
  } finally {
    db.close();
    await capture.close();
    dir.remove();
  }
}
