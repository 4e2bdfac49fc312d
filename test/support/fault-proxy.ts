/**
 * A loopback HTTP proxy in front of a real server that injects the faults a clinic network
 * produces, one decision per request:
 *   pass      forward (optionally only once a promise settles), answer with the server's response;
 *   status    answer with a status (503 by default) without forwarding;
 *   hang      read the request, never answer (the client's timeout must fire);
 *   reset     drop the connection before forwarding;
 *   lostAck   forward, let the server finish, then drop the connection instead of answering
 *             (the server stored it, the client never hears so);
 *   rewrite   forward, then change the server's status/body (e.g. a 202 with a FailedSOPSequence).
 * Every request is logged, so tests can count what a client sent during an outage.
 */
import http from 'node:http';
import type { Socket } from 'node:net';

export type Fault =
  /** `after`: hold the request until this settles (e.g. until the server has been stopped). */
  | { kind: 'pass'; after?: Promise<unknown> }
  | { kind: 'status'; status?: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'lostAck' }
  | { kind: 'rewrite'; rewrite: (res: { status: number; body: string }) => { status: number; body: string } };

export interface ProxiedRequest {
  readonly n: number;
  readonly method: string;
  readonly path: string;
  readonly fault: Fault['kind'];
  /** Status the client got, or null when it got none. */
  status: number | null;
}

export type FaultPlan = (req: { n: number; method: string; path: string }) => Fault;

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  setPlan(plan: FaultPlan): void;
  setTarget(url: string): void;
  close(): Promise<void>;
}

const PASS: FaultPlan = () => ({ kind: 'pass' });
const noop = (): void => undefined;

export async function startFaultProxy(target: string, plan: FaultPlan = PASS): Promise<FaultProxy> {
  let upstream = new URL(target);
  let current = plan;
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const upstreamAgent = new http.Agent({ keepAlive: true });

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent: upstreamAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  const server = http.createServer((req, res) => {
    const at = { n: requests.length + 1, method: req.method ?? '', path: req.url ?? '' };
    const fault = current(at);
    const entry: ProxiedRequest = { ...at, fault: fault.kind, status: null };
    requests.push(entry);
    if (fault.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (fault.kind === 'hang') return;
      if (fault.kind === 'status') {
        entry.status = fault.status ?? 503;
        res.writeHead(entry.status, { 'content-type': 'text/plain' }).end('injected');
        return;
      }
      const held = fault.kind === 'pass' && fault.after ? fault.after.then(noop, noop) : Promise.resolve();
      held.then(() => forward(req, body)).then(
        (up) => {
          if (fault.kind === 'lostAck') {
            req.socket.destroy();
            return;
          }
          let status = up.status;
          let out = up.body;
          if (fault.kind === 'rewrite') {
            const r = fault.rewrite({ status, body: out.toString('utf8') });
            status = r.status;
            out = Buffer.from(r.body, 'utf8');
          }
          entry.status = status;
          const headers: http.OutgoingHttpHeaders = { 'content-length': String(out.length) };
          if (up.headers['content-type']) headers['content-type'] = up.headers['content-type'];
          res.writeHead(status, headers).end(out);
        },
        // The server is down: the client sees its connection dropped, as with a stopped PACS.
        () => req.socket.destroy(),
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    requests,
    setPlan(p) {
      current = p;
    },
    setTarget(url) {
      upstream = new URL(url);
    },
    async close() {
      for (const s of sockets) s.destroy();
      upstreamAgent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
