/**
 * A network printer on a raw TCP port (`tcp://host:9100`, the "JetDirect"/AppSocket convention
 * every ESC/POS network printer offers).
 *
 * Written on a plain `net.Socket` rather than node-thermal-printer's Network interface because
 * that one cannot tell the outcomes apart (FIELD-NOTES): it resolves when bytes reach the local
 * socket, has only an idle timeout, and cannot ask for status before sending the job. Here one
 * connection per job goes:
 *
 *   connect ──▶ DLE EOT 4 (paper?) ──▶ job + GS r 1 ──▶ reply ──▶ printed (confirmed)
 *      │ refused/unreachable │ no reply    │ out           │ no reply / closed
 *      ▼                     ▼             ▼               ▼
 *   OFFLINE               TIMEOUT       NO_PAPER        TIMEOUT / ERROR (job may have printed)
 *   (nothing sent)        (nothing sent)(nothing sent)
 *
 * With `readStatus` off the status steps are skipped and a job counts as sent once the socket
 * has flushed it to the network. Nothing here ever retries.
 */
import net from 'node:net';
import { DLE_EOT_PAPER, GS_R_PAPER, isGsRPaperReply, isPaperSensorReply, paperFromGsRReply, paperFromSensorReply } from './escpos';
import { errnoOf, PrinterFailure, toPrinterFailure } from './printer-errors';
import type { PortStatus, PrinterPort, SendOptions, SendResult } from './printer-port';

const TCP_URI = /^tcp:\/\/([^/:?#\s]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/i;

/** `tcp://host[:port]` → host and port (default 9100), or null when it is not such a URI. */
export function parseTcpUri(uri: string): { host: string; port: number } | null {
  const m = TCP_URI.exec(uri.trim());
  if (!m) return null;
  const port = m[2] === undefined ? 9100 : Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export class TcpPrinterPort implements PrinterPort {
  readonly kind = 'tcp' as const;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  async send(job: Uint8Array, options: SendOptions): Promise<SendResult> {
    // An empty write makes node's stream throw ERR_STREAM_NULL_VALUES from inside the socket.
    if (job.byteLength === 0) throw new PrinterFailure('PRINTER_EMPTY_JOB', false);
    const conn = await Connection.open(this.host, this.port, options.timeoutMs);
    try {
      if (!options.readStatus) {
        await conn.writeAll(job, options.timeoutMs);
        return { confirmed: false, paper: 'unknown' };
      }
      const before = paperFromSensorReply(await conn.request(DLE_EOT_PAPER, isPaperSensorReply, options.timeoutMs, false));
      if (before === 'out') throw new PrinterFailure('PRINTER_NO_PAPER', false);
      const after = paperFromGsRReply(await conn.request(concat(job, GS_R_PAPER), isGsRPaperReply, options.timeoutMs, true));
      if (after === 'out') throw new PrinterFailure('PRINTER_NO_PAPER', true);
      return { confirmed: true, paper: before === 'near-end' || after === 'near-end' ? 'near-end' : 'ok' };
    } finally {
      conn.close();
    }
  }

  async status(options: SendOptions): Promise<PortStatus> {
    let conn: Connection;
    try {
      conn = await Connection.open(this.host, this.port, options.timeoutMs);
    } catch {
      return { reachable: false, answered: false, paper: 'unknown' };
    }
    try {
      if (!options.readStatus) return { reachable: true, answered: false, paper: 'unknown' };
      const reply = await conn.request(DLE_EOT_PAPER, isPaperSensorReply, options.timeoutMs, false);
      return { reachable: true, answered: true, paper: paperFromSensorReply(reply) };
    } catch {
      return { reachable: true, answered: false, paper: 'unknown' };
    } finally {
      conn.close();
    }
  }
}

/** One socket, its incoming bytes, and how it ended — so every wait can settle exactly once. */
class Connection {
  private readonly received: number[] = [];
  private scanned = 0;
  private failure: unknown = null;
  private closed = false;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const b of chunk) this.received.push(b);
      this.notify();
    });
    // Listening for 'error' for the socket's whole life keeps a late error from crashing the desk.
    socket.on('error', (e) => {
      this.failure ??= e;
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static open(host: string, port: number, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      // Before the connection exists nothing was sent: whatever went wrong, the printer is not there.
      const fail = (detail: string, cause?: unknown) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new PrinterFailure('PRINTER_OFFLINE', false, detail, cause));
      };
      const timer = setTimeout(() => fail('connect timeout'), timeoutMs);
      const onError = (e: unknown) => fail(errnoOf(e) ?? 'connect failed', e);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new Connection(socket));
      });
    });
  }

  /**
   * Writes `bytes` and waits for the first byte after everything read so far that `accept`
   * recognises as the answer. `jobSent` says whether `bytes` carry the job (for the error).
   */
  request(bytes: Uint8Array, accept: (b: number) => boolean, timeoutMs: number, jobSent: boolean): Promise<number> {
    return this.until(timeoutMs, jobSent, () => {
      while (this.scanned < this.received.length) {
        const b = this.received[this.scanned++]!;
        if (accept(b)) return b;
      }
      return undefined;
    }, () => this.socket.write(bytes));
  }

  /** Writes the job, half-closes, and waits until the socket has flushed every byte. */
  writeAll(bytes: Uint8Array, timeoutMs: number): Promise<true> {
    let flushed = false;
    return this.until(timeoutMs, true, () => (flushed ? true : undefined), () => {
      this.socket.end(bytes, () => {
        flushed = true;
        this.notify();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private until<T>(timeoutMs: number, jobSent: boolean, check: () => T | undefined, start: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => settle(() => reject(new PrinterFailure('PRINTER_TIMEOUT', jobSent))), timeoutMs);
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        this.wake = null;
        fn();
      };
      this.wake = () => {
        const value = check();
        if (value !== undefined) return settle(() => resolve(value));
        if (this.failure !== null) return settle(() => reject(toPrinterFailure(this.failure, jobSent)));
        if (this.closed) return settle(() => reject(new PrinterFailure('PRINTER_ERROR', jobSent, 'connection closed by printer')));
      };
      start();
      this.notify();
    });
  }

  private notify(): void {
    this.wake?.();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
