/**
 * Where a print job's bytes go. The printer service talks only to this interface, so the network
 * printer (`TcpPrinterPort`), a serial / USB device file (`DevicePrinterPort`) and a test's own
 * object are interchangeable.
 *
 * A port sends each job exactly once: it never retries, because a job that timed out may still
 * have printed (ESC/POS has no job acknowledgement that survives a lost connection).
 */

/** Paper as the printer reported it; `unknown` when it was not asked or cannot answer. */
export type PaperState = 'ok' | 'near-end' | 'out' | 'unknown';

export interface SendOptions {
  /** Per phase: connecting, each status reply, getting the bytes out. */
  readonly timeoutMs: number;
  /** Ask for paper status before the job and a confirmation after it (network printers only). */
  readonly readStatus: boolean;
}

export interface SendResult {
  /** The printer answered a status request sent after the job, so it processed the job. */
  readonly confirmed: boolean;
  readonly paper: PaperState;
}

export interface PortStatus {
  /** The connection opened, or the device file exists and can be opened for writing. */
  readonly reachable: boolean;
  /** The printer answered a status request (only network printers are asked). */
  readonly answered: boolean;
  readonly paper: PaperState;
}

export interface PrinterPort {
  readonly kind: 'tcp' | 'device' | 'custom';
  /**
   * Delivers one job. Rejects with a `PrinterFailure` (a PRINTER_* code, and whether any of the
   * job's bytes left); anything else a custom port throws is normalised by the printer service.
   */
  send(job: Uint8Array, options: SendOptions): Promise<SendResult>;
  status(options: SendOptions): Promise<PortStatus>;
}
