/**
 * The desk's one way to the thermal printer: takes a finished ESC/POS job, sends it through the
 * port `printer.interface` names, logs it in `print_jobs`, and turns every failure into a
 * PRINTER_* `PrinterFailure`.
 *
 * Jobs go one at a time (a receipt printer serves one connection; two slips interleaved would
 * be garbage), and a failed job is never sent again by the desk: after a timeout the slip may
 * have printed, and only the operator, looking at the paper, can tell.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Settings } from '../../../shared/settings-schema';
import { PrinterFailure, toPrinterFailure } from './printer-errors';
import { finishPrintJob, startPrintJob, type PrintJobKind } from './print-job-log';
import { openPrinterPort } from './open-printer-port';
import type { PaperState, PrinterPort } from './printer-port';

export interface PrintOutcome {
  readonly jobId: string;
  readonly confirmed: boolean;
  readonly paper: PaperState;
  readonly bytes: number;
}

export interface PrinterStatusReport {
  readonly configured: boolean;
  readonly portKind: PrinterPort['kind'] | null;
  readonly reachable: boolean;
  readonly answered: boolean;
  readonly paper: PaperState;
}

export interface PrinterService {
  /** Sends one job. Resolves once the port delivered it; rejects with a `PrinterFailure`. */
  print(job: Uint8Array, meta: { kind: PrintJobKind; slipId?: string | null }): Promise<PrintOutcome>;
  status(): Promise<PrinterStatusReport>;
}

export interface PrinterServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  settings: { get(): Settings };
  /** Opens the port for `printer.interface`; tests inject their own. */
  openPort?: (iface: string) => PrinterPort;
}

export function createPrinterService({ db, clock, logger, settings, openPort = openPrinterPort }: PrinterServiceDeps): PrinterService {
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  async function send(job: Uint8Array, meta: { kind: PrintJobKind; slipId?: string | null }): Promise<PrintOutcome> {
    // Refused here, before any port is even opened.
    if (job.byteLength === 0) throw new PrinterFailure('PRINTER_EMPTY_JOB', false);
    const { interface: iface, timeoutMs, readStatus } = settings.get().printer;
    const port = openPort(iface);
    const jobId = startPrintJob(db, clock, { kind: meta.kind, slipId: meta.slipId ?? null, portKind: port.kind, bytes: job.byteLength });
    const started = performance.now();
    try {
      const result = await port.send(job, { timeoutMs, readStatus });
      finishPrintJob(db, clock, jobId, { ok: true, confirmed: result.confirmed, paper: result.paper });
      logger.info('print job done', { jobId, kind: meta.kind, bytes: job.byteLength, confirmed: result.confirmed, paper: result.paper, ms: Math.round(performance.now() - started) });
      return { jobId, confirmed: result.confirmed, paper: result.paper, bytes: job.byteLength };
    } catch (e) {
      // A port we did not write may throw anything; assume its job may have left.
      const failure = toPrinterFailure(e, true);
      finishPrintJob(db, clock, jobId, { ok: false, errorCode: failure.printerCode, jobSent: failure.jobSent });
      logger.warn('print job failed', { jobId, kind: meta.kind, code: failure.printerCode, jobSent: failure.jobSent, ms: Math.round(performance.now() - started) });
      throw failure;
    }
  }

  return {
    print: (job, meta) => serially(() => send(job, meta)),
    status: () =>
      serially(async () => {
        const { interface: iface, timeoutMs, readStatus } = settings.get().printer;
        if (iface.trim() === '') return { configured: false, portKind: null, reachable: false, answered: false, paper: 'unknown' };
        const port = openPort(iface);
        const s = await port.status({ timeoutMs, readStatus });
        return { configured: true, portKind: port.kind, ...s };
      }),
  };
}
