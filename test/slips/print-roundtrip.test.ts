/**
 * A slip printed to a capture socket: the bytes decode back to exactly the raster the one layout
 * function draws, the QR scans to the exact link, and the link's token is the one whose hash the
 * desk stored (and the only place the token exists).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrinterCapture, type PrinterCapture } from '../support/printer-capture';
import { decodeEscPos } from '../support/escpos-decoder';
import { requirePart } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { getBit } from '../../electron/services/printer/bit-raster';
import { MAX_BAND_ROWS } from '../../electron/services/printer/escpos';
import { hashToken } from '../../electron/services/slips/slip-tokens';
import { buildSlipContent } from '../../electron/services/slips/slip-content';
import { renderSlip, QR_QUIET_MODULES } from '../../electron/services/slips/slip-layout';
import { readSlipVisit } from '../../electron/services/slips/visit-query';
import { encodeRasterPng } from '../../electron/services/slips/raster-png';
import { allStoredText, insertStudy, insertVisit, LONG_NAME, outboxRecords, PORTAL, scanQr, slipsFixture, THREE_EXAMS, TIME_ZONE, type SlipsFixture } from './slip-fixtures';

const TOKEN_URL = new RegExp(`^${PORTAL.replace(/[.]/g, '\\.')}/r/([A-Za-z0-9_-]{22})$`);

describe.each([576, 384] as const)('slip printed at %i dots', (widthDots) => {
  let capture: PrinterCapture;
  let f: SlipsFixture;

  beforeEach(async () => {
    capture = await startPrinterCapture();
    f = slipsFixture({ settings: { printer: { interface: capture.uri, widthDots } } });
  });
  afterEach(async () => {
    f.close();
    await capture.close();
  });

  it('reaches the socket as the rendered raster, bit for bit, with a QR that scans to the stored token', async () => {
    // An order without a procedure name: each attached study brings its own exam.
    const visit = insertVisit(f.db, { patientName: LONG_NAME, procedureName: '' });
    insertStudy(f.db, visit.id, '1.2.826.0.1.3680043.10.1.0', THREE_EXAMS[0]!, '20260115', '092000');
    insertStudy(f.db, visit.id, '1.2.826.0.1.3680043.10.1.1', THREE_EXAMS[1]!);
    insertStudy(f.db, visit.id, '1.2.826.0.1.3680043.10.1.2', THREE_EXAMS[2]!, '20260115', '094000');

    const printed = await f.slips.print(visit.id, f.caller);
    expect(printed.confirmed).toBe(true);
    expect(printed.paper).toBe('ok');
    const conn = await capture.nextClosed();
    expect(capture.connectionCount).toBe(1);

    const job = decodeEscPos(conn.bytes());
    expect(job.trailing).toBe(0);
    expect(job.commands.filter((c) => c.op === 'unknown')).toEqual([]);
    const ops = job.commands.map((c) => c.op);
    // Paper asked first, then the job, then the in-sequence confirmation.
    expect(ops[0]).toBe('status-realtime');
    expect(ops[1]).toBe('init');
    expect(ops.slice(-3)).toEqual(['feed', 'cut', 'status-gs-r']);
    for (const c of job.commands) if (c.op === 'raster') expect(c.height).toBeLessThanOrEqual(MAX_BAND_ROWS);

    const decoded = job.raster!;
    expect(decoded.width).toBe(widthDots);
    expect(ops.filter((o) => o === 'raster').length).toBe(Math.ceil(decoded.height / MAX_BAND_ROWS));

    const url = scanQr(decoded);
    expect(url).not.toBeNull();
    const token = TOKEN_URL.exec(url!)?.[1];
    expect(token, `link ${url} must be ${PORTAL}/r/<22 base64url chars>`).toBeDefined();
    expect(Buffer.from(token!, 'base64url')).toHaveLength(16);

    const row = f.db.prepare('SELECT token_hash, lookup_code, expires_at, status FROM slips WHERE id = ?').get(printed.slipId) as {
      token_hash: string;
      lookup_code: string;
      expires_at: number;
      status: string;
    };
    expect(row.token_hash).toBe(hashToken(token!));
    expect(row.status).toBe('active');
    expect(row.expires_at).toBe(f.clock.now() + 365 * 86_400_000);

    // Draw the slip again from the same facts: the printer got exactly this, bit for bit.
    const again = renderSlip(
      buildSlipContent({
        visit: readSlipVisit(f.db, visit.id)!,
        settings: f.settings.get(),
        url: url!,
        lookupCode: printed.lookupCode,
        expiresAt: row.expires_at,
        technician: f.caller.operatorName,
        timeZone: TIME_ZONE,
      }),
      widthDots,
    );
    expect(again.height).toBe(decoded.height);
    expect(Buffer.from(decoded.bits).equals(Buffer.from(again.bits))).toBe(true);

    // QR geometry: whole-dot modules of at least 6 dots, with a white quiet zone of 4 modules.
    expect(again.qr.moduleDots).toBeGreaterThanOrEqual(6);
    const quiet = QR_QUIET_MODULES * again.qr.moduleDots;
    const side = again.qr.modules * again.qr.moduleDots;
    for (let y = again.qr.y - quiet; y < again.qr.y + side + quiet; y++) {
      for (let x = again.qr.x - quiet; x < again.qr.x + side + quiet; x++) {
        const inSymbol = x >= again.qr.x && x < again.qr.x + side && y >= again.qr.y && y < again.qr.y + side;
        if (!inSymbol) expect(getBit(decoded, x, y), `quiet zone dot ${x},${y}`).toBe(false);
      }
    }
    // Every module is uniform across its dots (no anti-aliased edges).
    for (let r = 0; r < again.qr.modules; r++) {
      for (let c = 0; c < again.qr.modules; c++) {
        const x0 = again.qr.x + c * again.qr.moduleDots;
        const y0 = again.qr.y + r * again.qr.moduleDots;
        const v = getBit(decoded, x0, y0);
        for (let dy = 0; dy < again.qr.moduleDots; dy++) for (let dx = 0; dx < again.qr.moduleDots; dx++) if (getBit(decoded, x0 + dx, y0 + dy) !== v) throw new Error(`module ${r},${c} is not uniform`);
      }
    }

    // The raw token is stored nowhere, and the audit subject names the patient but not the token.
    expect(allStoredText(f.db)).not.toContain(token!);
    expect(JSON.stringify(f.caller.subjects)).not.toContain(token!);
    expect(f.caller.subjects[0]!.patientID).toBe(visit.patientID);
    expect(f.logger.lines.join('\n')).not.toContain(token!);
    expect(f.logger.lines.join('\n')).not.toContain(visit.patientID);

    // The record for the clinic server, written with the slip.
    const [slipRecord] = outboxRecords(f.db, 'slip');
    expect(slipRecord!.payload).toEqual({
      slipId: printed.slipId,
      tokenHash: hashToken(token!),
      visitId: visit.id,
      visitNumber: visit.visitNumber,
      patient: { name: LONG_NAME, birthYear: '1985', sex: 'F' },
      exams: THREE_EXAMS,
      studyInstanceUIDs: ['1.2.826.0.1.3680043.10.1.0', '1.2.826.0.1.3680043.10.1.1', '1.2.826.0.1.3680043.10.1.2'],
      issuedAt: f.clock.now(),
      expiresAt: row.expires_at,
      requireBirthYear: false,
      clinicName: 'Phòng khám Đa khoa Hồng Đức',
      status: 'active',
      lookupCode: row.lookup_code,
      replaces: null,
      revision: 0,
    });
    expect(JSON.stringify(slipRecord)).not.toContain(token!);

    // The print job log.
    const jobRow = f.db.prepare('SELECT status, error_code, job_sent, confirmed, bytes FROM print_jobs WHERE slip_id = ?').get(printed.slipId);
    expect(jobRow).toEqual({ status: 'printed', error_code: null, job_sent: 1, confirmed: 1, bytes: conn.bytes().length - 6 });
  });

  it('is read by zbarimg too, a second QR decoder', async (ctx) => {
    const haveZbar = spawnSync('zbarimg', ['--version']).status === 0;
    if (!requirePart('zbarimg', haveZbar, 'apt-get install zbar-tools')) return ctx.skip();
    const visit = insertVisit(f.db);
    await f.slips.print(visit.id, f.caller);
    const decoded = decodeEscPos((await capture.nextClosed()).bytes()).raster!;
    const dir = tempDir('raddesk-zbar-');
    try {
      const file = join(dir.path, 'slip.png');
      writeFileSync(file, encodeRasterPng(decoded));
      const out = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
      expect(out).toBe(scanQr(decoded));
      expect(out).toMatch(TOKEN_URL);
    } finally {
      dir.remove();
    }
  });

  it('wraps a long Vietnamese name and three exams inside the paper', async () => {
    const short = insertVisit(f.db, { patientName: 'LÊ AN' });
    const long = insertVisit(f.db, { patientName: LONG_NAME, procedureName: '' });
    insertStudy(f.db, long.id, '1.2.3.0', THREE_EXAMS[0]!, '20260115', '092000');
    insertStudy(f.db, long.id, '1.2.3.1', THREE_EXAMS[1]!);
    insertStudy(f.db, long.id, '1.2.3.2', THREE_EXAMS[2]!);
    const draw = (visitId: string) =>
      renderSlip(
        buildSlipContent({ visit: readSlipVisit(f.db, visitId)!, settings: f.settings.get(), url: `${PORTAL}/r/${'A'.repeat(22)}`, lookupCode: 'ABCD-2345', expiresAt: 0, technician: null, timeZone: TIME_ZONE }),
        widthDots,
      );
    const a = draw(short.id);
    const b = draw(long.id);
    expect(b.height).toBeGreaterThan(a.height);
    // Nothing spills into the side margins: every line was wrapped inside the content width.
    const margin = widthDots === 576 ? 8 : 4;
    for (let y = 0; y < b.height; y++) {
      for (let x = 0; x < margin; x++) {
        expect(getBit(b, x, y)).toBe(false);
        expect(getBit(b, widthDots - 1 - x, y)).toBe(false);
      }
    }
    expect(scanQr(b)).toBe(`${PORTAL}/r/${'A'.repeat(22)}`);
  });

  it('previews the same layout without creating a token', async () => {
    const visit = insertVisit(f.db, { patientName: LONG_NAME });
    const preview = f.slips.preview(visit.id, f.caller);
    expect(f.db.prepare('SELECT COUNT(*) AS n FROM slips').get()).toEqual({ n: 0 });
    expect(outboxRecords(f.db)).toEqual([]);
    expect(capture.connectionCount).toBe(0);
    await f.slips.print(visit.id, f.caller);
    const printed = decodeEscPos((await capture.nextClosed()).bytes()).raster!;
    expect({ width: preview.width, height: preview.height }).toEqual({ width: printed.width, height: printed.height });
    expect(Buffer.from(preview.png, 'base64').subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});
