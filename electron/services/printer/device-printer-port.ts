/**
 * A printer reached through a device file: USB printer class (`/dev/usb/lp0`), USB-serial or
 * serial (`/dev/ttyUSB0`, `COM3`). The line settings of a serial port (baud rate…) are the
 * operating system's; the desk only writes the job's bytes.
 *
 * Not node-thermal-printer's file interface: that one rejects after 5 s but keeps retrying the
 * write for ~200 s in the background, printing a "ghost" slip after the operator has printed
 * again (FIELD-NOTES). Here the job is written once. A device that blocks is given up on after
 * `timeoutMs`: if it had not even opened, the job is abandoned and will never be written; if the
 * write had begun, it cannot be recalled and the error says the slip may have printed. Device
 * files give no status back, so paper is never claimed.
 */
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { PrinterFailure, toPrinterFailure } from './printer-errors';
import type { PortStatus, PrinterPort, SendOptions, SendResult } from './printer-port';

export class DevicePrinterPort implements PrinterPort {
  readonly kind = 'device' as const;

  constructor(readonly path: string) {}

  send(job: Uint8Array, options: SendOptions): Promise<SendResult> {
    if (job.byteLength === 0) return Promise.reject(new PrinterFailure('PRINTER_EMPTY_JOB', false));
    return new Promise((resolve, reject) => {
      let writing = false;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new PrinterFailure('PRINTER_TIMEOUT', writing));
      }, options.timeoutMs);
      (async () => {
        // No O_CREAT: a missing device means an unplugged printer, not a new file to create.
        const fh = await open(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOCTTY);
        try {
          if (timedOut) return; // opened too late: the operator was told nothing was sent
          writing = true;
          await fh.writeFile(job);
        } finally {
          await fh.close();
        }
      })().then(
        () => {
          clearTimeout(timer);
          if (!timedOut) resolve({ confirmed: false, paper: 'unknown' });
        },
        (e: unknown) => {
          clearTimeout(timer);
          if (!timedOut) reject(toPrinterFailure(e, writing));
        },
      );
    });
  }

  async status(): Promise<PortStatus> {
    try {
      await access(this.path, constants.W_OK);
      return { reachable: true, answered: false, paper: 'unknown' };
    } catch {
      return { reachable: false, answered: false, paper: 'unknown' };
    }
  }
}
