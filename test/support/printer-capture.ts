/**
 * A thermal printer on a loopback TCP port, for tests: it records the bytes of every connection
 * and behaves, on demand, like the printers that go wrong in a clinic.
 *
 *   accept      reads everything and answers DLE EOT 4 / GS r 1 with its paper state
 *   silent      reads everything and never answers (a printer that reports no status)
 *   stall       answers DLE EOT 4, reads the job, never answers GS r 1 (stopped mid-job: jam, cover open)
 *   hang        accepts, never reads, never closes (a frozen printer)
 *   never-read  accepts, never reads, then drops the connection (a printer rebooting)
 *   refuse      nothing listens on the port (printer off: ECONNREFUSED)
 *
 * It parses the stream as a printer would (escpos-decoder), so a DLE EOT byte pair inside raster
 * data is never mistaken for a status request.
 */
import net from 'node:net';
import { parseNext, type EscPosCommand } from './escpos-decoder';

export type CaptureMode = 'accept' | 'silent' | 'stall' | 'hang' | 'never-read' | 'refuse';
export type CapturePaper = 'ok' | 'near-end' | 'out';

export interface CapturedConnection {
  readonly index: number;
  /** Every byte received on this connection so far. */
  bytes(): Buffer;
  readonly commands: EscPosCommand[];
  /** Resolves when the client closed (or the capture dropped) the connection. */
  readonly closed: Promise<void>;
}

export interface PrinterCapture {
  /** `tcp://127.0.0.1:<port>`, ready for `printer.interface`. */
  readonly uri: string;
  readonly port: number;
  /** Connections accepted so far (0 in `refuse` mode). */
  readonly connectionCount: number;
  readonly connections: readonly CapturedConnection[];
  setMode(mode: Exclude<CaptureMode, 'refuse'>, options?: { paper?: CapturePaper; dropAfterMs?: number }): void;
  /** Resolves with the next connection to close (or one already closed and not yet taken). */
  nextClosed(): Promise<CapturedConnection>;
  /** Called as each command is parsed, with a high-resolution timestamp (benchmarks). */
  onCommand(fn: ((conn: CapturedConnection, cmd: EscPosCommand, at: number) => void) | null): void;
  close(): Promise<void>;
}

/** DLE EOT 4 answers (0b0xx1xx10) and GS r 1 answers, per paper state. */
const REALTIME_PAPER: Record<CapturePaper, number> = { ok: 0x12, 'near-end': 0x1e, out: 0x72 };
const GS_R_PAPER: Record<CapturePaper, number> = { ok: 0x00, 'near-end': 0x03, out: 0x0c };

export async function startPrinterCapture(options: { mode?: CaptureMode; paper?: CapturePaper; dropAfterMs?: number } = {}): Promise<PrinterCapture> {
  let mode: CaptureMode = options.mode ?? 'accept';
  let paper: CapturePaper = options.paper ?? 'ok';
  let dropAfterMs = options.dropAfterMs ?? 100;
  let listener: ((conn: CapturedConnection, cmd: EscPosCommand, at: number) => void) | null = null;
  const connections: CapturedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const closedQueue: CapturedConnection[] = [];
  const closedWaiters: ((c: CapturedConnection) => void)[] = [];

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // a client that resets is a case under test, not a failure
    const chunks: Buffer[] = [];
    let buffered = Buffer.alloc(0);
    let parsed = 0;
    let markClosed!: () => void;
    const conn: CapturedConnection = {
      index: connections.length,
      bytes: () => Buffer.concat(chunks),
      commands: [],
      closed: new Promise<void>((r) => (markClosed = r)),
    };
    connections.push(conn);
    socket.on('close', () => {
      sockets.delete(socket);
      markClosed();
      const waiter = closedWaiters.shift();
      if (waiter) waiter(conn);
      else closedQueue.push(conn);
    });

    const connMode = mode;
    if (connMode === 'hang' || connMode === 'never-read') {
      socket.pause();
      if (connMode === 'never-read') {
        const t = setTimeout(() => socket.destroy(), dropAfterMs);
        timers.add(t);
      }
      return;
    }
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      for (let next = parseNext(buffered, parsed); next; next = parseNext(buffered, parsed)) {
        parsed = next.end;
        conn.commands.push(next.cmd);
        listener?.(conn, next.cmd, performance.now());
        if (connMode === 'silent') continue;
        if (next.cmd.op === 'status-realtime' && next.cmd.n === 4) socket.write(Uint8Array.of(REALTIME_PAPER[paper]));
        if (next.cmd.op === 'status-gs-r' && next.cmd.n === 1 && connMode === 'accept') socket.write(Uint8Array.of(GS_R_PAPER[paper]));
      }
      // Keep only what is not parsed yet (a raster band split across chunks).
      buffered = buffered.subarray(parsed);
      parsed = 0;
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  if (mode === 'refuse') await new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    uri: `tcp://127.0.0.1:${port}`,
    port,
    get connectionCount() {
      return connections.length;
    },
    connections,
    setMode(next, opts = {}) {
      mode = next;
      paper = opts.paper ?? paper;
      dropAfterMs = opts.dropAfterMs ?? dropAfterMs;
    },
    nextClosed() {
      const ready = closedQueue.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => closedWaiters.push(resolve));
    },
    onCommand(fn) {
      listener = fn;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
