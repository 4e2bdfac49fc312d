/**
 * Printers that go wrong, on real loopback sockets: each failure comes back as the right PRINTER_*
 * code, the desk does not crash, the job is tried on exactly one connection (no retry, even well
 * after the timeout), the job log says what happened, and the slip's token is revoked only when
 * the job surely never left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPrinterCapture, type CaptureMode, type CapturePaper, type PrinterCapture } from '../support/printer-capture';
import { decodeEscPos } from '../support/escpos-decoder';
import { PrinterFailure } from '../../electron/services/printer/printer-errors';
import { TcpPrinterPort } from '../../electron/services/printer/tcp-printer-port';
import type { PrinterPort } from '../../electron/services/printer/printer-port';
import { openPrinterPort } from '../../electron/services/printer/open-printer-port';
import { insertVisit, outboxRecords, slipsFixture, type SlipsFixture } from './slip-fixtures';

const TIMEOUT_MS = 500;

let capture: PrinterCapture | null = null;
let f: SlipsFixture | null = null;
afterEach(async () => {
  f?.close();
  await capture?.close();
  f = null;
  capture = null;
});

/** Ports the printer service opened: one per attempt, so a retry at any level above the socket shows. */
let portsOpened = 0;

async function printInMode(mode: CaptureMode, opts: { paper?: CapturePaper; readStatus?: boolean } = {}) {
  capture = await startPrinterCapture({ mode, paper: opts.paper ?? 'ok', dropAfterMs: 100 });
  portsOpened = 0;
  const openPort = (iface: string) => {
    portsOpened += 1;
    return openPrinterPort(iface);
  };
  f = slipsFixture({ settings: { printer: { interface: capture.uri, timeoutMs: TIMEOUT_MS, readStatus: opts.readStatus ?? true } }, openPort });
  const visit = insertVisit(f.db);
  const error = await f.slips.print(visit.id, f.caller).then(
    () => null,
    (e: unknown) => e,
  );
  const slip = f.db.prepare('SELECT id, status, revoke_reason FROM slips WHERE visit_id = ?').get(visit.id) as { id: string; status: string; revoke_reason: string | null };
  const job = f.db.prepare('SELECT status, error_code, job_sent FROM print_jobs WHERE slip_id = ?').get(slip.id);
  return { error, slip, job, visit };
}

/** Waits past several timeouts, then checks nobody connected (or opened a port) again. */
async function expectNoRetry(connections: number) {
  await sleep(TIMEOUT_MS * 3);
  expect(capture!.connectionCount).toBe(connections);
  expect(portsOpened).toBe(1);
}

describe('printer faults on a real socket', () => {
  it('refused (nothing listening): PRINTER_OFFLINE, token revoked, nothing printed', async () => {
    const { error, slip, job } = await printInMode('refuse');
    expect(error).toBeInstanceOf(PrinterFailure);
    expect((error as PrinterFailure).code).toBe('PRINTER_OFFLINE');
    expect((error as PrinterFailure).toShape().messages.vi).toContain('ECONNREFUSED');
    expect(job).toEqual({ status: 'failed', error_code: 'PRINTER_OFFLINE', job_sent: 0 });
    expect(slip).toMatchObject({ status: 'revoked', revoke_reason: 'not printed: PRINTER_OFFLINE' });
    expect(outboxRecords(f!.db).map((r) => r.kind)).toEqual(['slip', 'token-revocation']);
    // Nothing listens, so connections cannot be counted at the capture: count port openings.
    await expectNoRetry(0);
  });

  it('hung (accepts, never reads, never closes): PRINTER_TIMEOUT before the job left, one connection', async () => {
    const { error, slip, job } = await printInMode('hang');
    expect((error as PrinterFailure).code).toBe('PRINTER_TIMEOUT');
    expect((error as PrinterFailure).jobSent).toBe(false);
    expect(job).toEqual({ status: 'failed', error_code: 'PRINTER_TIMEOUT', job_sent: 0 });
    expect(slip.status).toBe('revoked');
    await expectNoRetry(1);
  });

  it('never reading, then dropping the connection: PRINTER_ERROR, one connection', async () => {
    const { error, job } = await printInMode('never-read');
    expect((error as PrinterFailure).code).toBe('PRINTER_ERROR');
    expect(job).toMatchObject({ status: 'failed', error_code: 'PRINTER_ERROR' });
    await expectNoRetry(1);
  });

  it('stopping mid-job (answers paper, never confirms): PRINTER_TIMEOUT after sending, token kept, never resent', async () => {
    const { error, slip, job } = await printInMode('stall');
    expect((error as PrinterFailure).code).toBe('PRINTER_TIMEOUT');
    expect((error as PrinterFailure).jobSent).toBe(true);
    // The slip may be on paper: its token must stay valid; the operator decides on a reprint.
    expect(slip.status).toBe('active');
    expect(job).toEqual({ status: 'failed', error_code: 'PRINTER_TIMEOUT', job_sent: 1 });
    await expectNoRetry(1);
    const conn = capture!.connections[0]!;
    await conn.closed;
    expect(decodeEscPos(conn.bytes()).commands.filter((c) => c.op === 'init')).toHaveLength(1);
  });

  it('never answering status at all: PRINTER_TIMEOUT before the job left (readStatus must be off for it)', async () => {
    const { error, slip, job } = await printInMode('silent');
    expect((error as PrinterFailure).code).toBe('PRINTER_TIMEOUT');
    expect((error as PrinterFailure).jobSent).toBe(false);
    expect(slip.status).toBe('revoked');
    expect(job).toEqual({ status: 'failed', error_code: 'PRINTER_TIMEOUT', job_sent: 0 });
    const conn = capture!.connections[0]!;
    await conn.closed;
    expect(decodeEscPos(conn.bytes()).commands.map((c) => c.op)).toEqual(['status-realtime']);
    await expectNoRetry(1);
  });

  it('a printer without status replies prints with readStatus off (sent, not confirmed)', async () => {
    const { error, slip, job } = await printInMode('silent', { readStatus: false });
    expect(error).toBeNull();
    expect(slip.status).toBe('active');
    expect(job).toEqual({ status: 'printed', error_code: null, job_sent: 1 });
    const conn = await capture!.nextClosed();
    const ops = decodeEscPos(conn.bytes()).commands.map((c) => c.op);
    expect(ops[0]).toBe('init');
    expect(ops).not.toContain('status-realtime');
  });

  it('out of paper: PRINTER_NO_PAPER before any raster is sent', async () => {
    const { error, slip, job } = await printInMode('accept', { paper: 'out' });
    expect((error as PrinterFailure).code).toBe('PRINTER_NO_PAPER');
    expect(job).toEqual({ status: 'failed', error_code: 'PRINTER_NO_PAPER', job_sent: 0 });
    expect(slip.status).toBe('revoked');
    const conn = await capture!.nextClosed();
    expect(decodeEscPos(conn.bytes()).commands.map((c) => c.op)).toEqual(['status-realtime']);
  });

  it('paper near its end: printed, and the operator is told', async () => {
    const { error, job } = await printInMode('accept', { paper: 'near-end' });
    expect(error).toBeNull();
    expect(job).toMatchObject({ status: 'printed' });
    const row = f!.db.prepare('SELECT paper FROM print_jobs').get();
    expect(row).toEqual({ paper: 'near-end' });
  });
});

describe('empty jobs', () => {
  it('are refused before any socket is opened', async () => {
    capture = await startPrinterCapture();
    f = slipsFixture({ settings: { printer: { interface: capture.uri } } });
    await expect(f.printer.print(new Uint8Array(0), { kind: 'test-page' })).rejects.toMatchObject({ code: 'PRINTER_EMPTY_JOB' });
    await expect(new TcpPrinterPort('127.0.0.1', capture.port).send(new Uint8Array(0), { timeoutMs: 500, readStatus: true })).rejects.toMatchObject({
      code: 'PRINTER_EMPTY_JOB',
    });
    expect(capture.connectionCount).toBe(0);
    expect(f.db.prepare('SELECT COUNT(*) AS n FROM print_jobs').get()).toEqual({ n: 0 });
  });
});

describe('a custom port', () => {
  it('is called once per job, and whatever it throws becomes a PRINTER_* error', async () => {
    const thrown: unknown[] = ['Printer Error', new Error('Socket timeout'), Object.assign(new Error('x'), { code: 'EPIPE' }), Object.assign(new Error('y'), { code: 'ECONNREFUSED' })];
    const calls: number[] = [];
    const port: PrinterPort = {
      kind: 'custom',
      async send(job) {
        calls.push(job.length);
        throw thrown[calls.length - 1];
      },
      status: async () => ({ reachable: true, answered: false, paper: 'unknown' }),
    };
    f = slipsFixture({ settings: { printer: { interface: 'custom' } }, openPort: () => port });
    const codes: string[] = [];
    for (let i = 0; i < thrown.length; i++) {
      const visit = insertVisit(f.db);
      codes.push(await f.slips.print(visit.id, f.caller).then(() => 'ok', (e: PrinterFailure) => e.code));
    }
    expect(codes).toEqual(['PRINTER_ERROR', 'PRINTER_TIMEOUT', 'PRINTER_ERROR', 'PRINTER_OFFLINE']);
    expect(calls).toHaveLength(thrown.length);
    // An unknown port's failure may have printed: its tokens stay active, except "refused".
    const statuses = (f.db.prepare('SELECT status FROM slips ORDER BY rowid').all() as { status: string }[]).map((r) => r.status);
    expect(statuses).toEqual(['active', 'active', 'active', 'revoked']);
  });
});
