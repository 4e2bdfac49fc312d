/**
 * Every way a print can fail, reduced to the contract's PRINTER_* codes. Raw socket or file
 * errors never reach the renderer: the code says what happened, the detail is a short errno-style
 * word for the log and the message.
 *
 * `jobSent` records whether any byte of the job itself left the desk: when false the slip surely
 * did not print (safe to print again); when true it may have (the operator checks the paper).
 */
import { DeskError } from '../../../shared/errors';

export type PrinterErrorCode = 'PRINTER_OFFLINE' | 'PRINTER_TIMEOUT' | 'PRINTER_NO_PAPER' | 'PRINTER_EMPTY_JOB' | 'PRINTER_ERROR';

export class PrinterFailure extends DeskError {
  readonly printerCode: PrinterErrorCode;
  readonly jobSent: boolean;

  constructor(code: PrinterErrorCode, jobSent: boolean, detail = '', cause?: unknown) {
    // OFFLINE and ERROR messages show {detail}; the others ignore it.
    super(code, { detail: detail || 'unknown' }, { cause });
    this.printerCode = code;
    this.jobSent = jobSent;
  }
}

/** errno codes that mean "nobody is listening there", before any byte was sent. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT', 'ENODEV', 'ENXIO', 'EADDRNOTAVAIL']);

/**
 * Turns anything a port threw into a `PrinterFailure`. `jobSent` is the caller's best knowledge;
 * for an unknown custom port it should be `true` (assume it may have printed).
 */
export function toPrinterFailure(e: unknown, jobSent: boolean): PrinterFailure {
  if (e instanceof PrinterFailure) return e;
  if (e instanceof DeskError) {
    const code = isPrinterCode(e.code) ? e.code : 'PRINTER_ERROR';
    return new PrinterFailure(code, jobSent, code === 'PRINTER_ERROR' ? e.code : String(e.params.detail ?? ''), e);
  }
  const errno = errnoOf(e);
  if (errno && UNREACHABLE.has(errno)) return new PrinterFailure('PRINTER_OFFLINE', false, errno, e);
  if (errno === 'ETIMEDOUT') return new PrinterFailure('PRINTER_TIMEOUT', jobSent, '', e);
  if (errno) return new PrinterFailure('PRINTER_ERROR', jobSent, errno, e);
  // node-thermal-printer style failures: a bare string ('Printer Error') or a plain Error.
  if (/timeout/i.test(String(e instanceof Error ? e.message : e))) return new PrinterFailure('PRINTER_TIMEOUT', jobSent, '', e);
  return new PrinterFailure('PRINTER_ERROR', jobSent, shortDetail(e), e);
}

function isPrinterCode(code: string): code is PrinterErrorCode {
  return code === 'PRINTER_OFFLINE' || code === 'PRINTER_TIMEOUT' || code === 'PRINTER_NO_PAPER' || code === 'PRINTER_EMPTY_JOB' || code === 'PRINTER_ERROR';
}

/** The errno-style code of a Node system error (`ECONNREFUSED`), or null. */
export function errnoOf(e: unknown): string | null {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  return null;
}

/** One line, bounded, so a port's error text cannot flood the log or the message. */
function shortDetail(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : 'unknown';
  return text.replace(/\s+/g, ' ').trim().slice(0, 80) || 'unknown';
}
