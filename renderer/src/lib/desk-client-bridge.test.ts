/**
 * The bridge client against a real HTTP server on a loopback socket that imitates the bridge's
 * spec: `POST /api/{method}` with the auth cookie and operator headers, `{ok,value|error}`
 * envelopes, and `GET /api/events` as Server-Sent Events.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../shared/errors';
import { DeskCallError } from './desk-call-error';
import { createBridgeClient } from './desk-client-bridge';
import type { DeskClient } from './desk-client';

const COOKIE = 'desk_token=s3cret';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Answer = { status: number; json?: unknown; text?: string };

/** A stand-in bridge: answers calls with `answer()`, hands each SSE connection to the test. */
class FakeBridge {
  readonly received: Received[] = [];
  answer: (call: Received) => Answer = () => ({ status: 200, json: { ok: true, value: {} } });
  private readonly streamWaiters: ((res: ServerResponse) => void)[] = [];
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  /** Resolves with the next event-stream connection the client opens. */
  nextStream(): Promise<ServerResponse> {
    return new Promise((ok) => this.streamWaiters.push(ok));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.cookie !== COOKIE) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: new DeskError('UNAUTHORIZED').toShape() }));
      return;
    }
    if (req.method === 'GET' && req.url === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      res.write(': connected\n\n');
      const waiter = this.streamWaiters.shift();
      if (waiter) waiter(res);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const call: Received = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    };
    this.received.push(call);
    const answer = this.answer(call);
    if (answer.json !== undefined) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
    } else {
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.text ?? '');
    }
  }
}

/** Node's fetch has no cookie jar: this one acts like the browser after the `/?token=` sign-in. */
function browserFetch(cookie: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', cookie);
    return fetch(input, { ...init, headers });
  };
}

/** The next value `fn` is called with, as a promise. */
function nextCall<T>(subscribe: (fn: (value: T) => void) => () => void): Promise<T> {
  return new Promise((ok) => {
    const off = subscribe((value) => {
      off();
      ok(value);
    });
  });
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((ok) => (res.destroyed ? ok() : res.once('close', () => ok())));
}

let bridge: FakeBridge;
let client: DeskClient;
/** Every subscription a test makes, undone after it so no reconnect loop outlives the test. */
let offs: (() => void)[] = [];

function listen(fn: (payload: unknown) => void): void {
  offs.push(client.on('settings.changed', fn));
}

beforeEach(async () => {
  bridge = new FakeBridge();
  await bridge.start();
  client = createBridgeClient({ baseUrl: bridge.url, fetch: browserFetch(COOKIE), reconnect: { initialMs: 10, maxMs: 40 } });
});

afterEach(async () => {
  for (const off of offs) off();
  offs = [];
  await bridge.stop();
});

const publicSettingsLike = { ui: { language: 'en' } };

describe('bridge client: calls', () => {
  it('POSTs the input as JSON to /api/{method} and resolves the envelope value', async () => {
    bridge.answer = () => ({ status: 200, json: { ok: true, value: { items: [{ id: 'op1', name: 'Nguyễn Thị Hoà', role: 'admin', hasPin: false }] } } });
    const out = await client.call('operators.list', {});
    expect(out.items[0]?.name).toBe('Nguyễn Thị Hoà');
    expect(bridge.received).toHaveLength(1);
    expect(bridge.received[0]).toMatchObject({ method: 'POST', path: '/api/operators.list', body: {} });
    expect(bridge.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends no operator headers until an operator is set, then both, then none again', async () => {
    await client.call('app.info', {});
    client.setOperator({ operatorId: 'op-7', session: 'sess-abc' });
    await client.call('audit.verify', {});
    client.setOperator(null);
    await client.call('app.info', {});
    const [before, during, after] = bridge.received.map((r) => r.headers);
    expect(before?.['x-desk-operator']).toBeUndefined();
    expect(before?.['x-desk-session']).toBeUndefined();
    expect(during?.['x-desk-operator']).toBe('op-7');
    expect(during?.['x-desk-session']).toBe('sess-abc');
    expect(after?.['x-desk-operator']).toBeUndefined();
  });

  it('rejects with the core error, field and both languages intact (4xx envelope)', async () => {
    const shape = new DeskError('VALIDATION', { field: 'pacs.dicomwebUrl', detail: 'Invalid URL' }, { field: 'pacs.dicomwebUrl' }).toShape();
    bridge.answer = () => ({ status: 400, json: { ok: false, error: shape } });
    const err = await client.call('settings.update', { pacs: { dicomwebUrl: 'not a url' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeskCallError);
    const e = err as DeskCallError;
    expect(e.code).toBe('VALIDATION');
    expect(e.field).toBe('pacs.dicomwebUrl');
    expect(e.error.messages.vi).toContain('pacs.dicomwebUrl');
    expect(e.error.messages.en).toBe('Invalid input at pacs.dicomwebUrl: Invalid URL');
    expect(bridge.received[0]?.body).toEqual({ pacs: { dicomwebUrl: 'not a url' } });
  });

  it('without the cookie the bridge says 401 and the client says UNAUTHORIZED', async () => {
    const anonymous = createBridgeClient({ baseUrl: bridge.url, fetch: browserFetch('other=1') });
    await expect(anonymous.call('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('names a non-JSON failure by its HTTP status', async () => {
    bridge.answer = () => ({ status: 401, text: 'Sign-in required' });
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    bridge.answer = () => ({ status: 502, text: 'Bad gateway' });
    const err = (await client.call('app.info', {}).catch((e: unknown) => e)) as DeskCallError;
    expect(err.code).toBe('INTERNAL');
    expect(err.error.messages.en).toContain('http-502');
  });

  it('treats a 200 that is not an envelope as a broken answer, not as a value', async () => {
    bridge.answer = () => ({ status: 200, json: { version: '1' } });
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('says DESK_UNREACHABLE when nothing listens', async () => {
    await bridge.stop();
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'DESK_UNREACHABLE' });
    bridge = new FakeBridge(); // afterEach stops a fresh, started one
    await bridge.start();
  });

  it('callOptional answers undefined for UNKNOWN_METHOD and passes other errors through', async () => {
    bridge.answer = (call) =>
      call.path === '/api/sync.status'
        ? { status: 404, json: { ok: false, error: new DeskError('UNKNOWN_METHOD', { method: 'sync.status' }).toShape() } }
        : { status: 422, json: { ok: false, error: new DeskError('PACS_UNREACHABLE', { url: 'x' }).toShape() } };
    await expect(client.callOptional('sync.status', {})).resolves.toBeUndefined();
    await expect(client.callOptional('pacs.test', {})).rejects.toMatchObject({ code: 'PACS_UNREACHABLE' });
    bridge.answer = () => ({ status: 200, json: { ok: true, value: { online: true } } });
    await expect(client.callOptional('sync.status', {})).resolves.toEqual({ online: true });
  });
});

describe('bridge client: events', () => {
  it('delivers named events with JSON payloads, however the bytes are split', async () => {
    const stream = bridge.nextStream();
    const got: unknown[] = [];
    const second = new Promise<void>((ok) =>
      listen((payload) => {
        got.push(payload);
        if (got.length === 2) ok();
      }),
    );
    const res = await stream;
    res.write('event: other.thing\ndata: {"ignored":true}\n\n');
    res.write('event: settings.ch');
    res.write('anged\r'); // CR here, its LF in the next write: one line end, not two
    res.write('\ndata: {"ui":\r\n');
    res.write('data: {"language":"en"}}\r\n\r');
    res.write('\n: ping\n\nevent: settings.changed\ndata: {"ui":{"language":"vi"}}\n\n');
    await second;
    // Two data lines join with a newline, which JSON accepts as whitespace.
    expect(got).toEqual([publicSettingsLike, { ui: { language: 'vi' } }]);
  });

  it('skips an event whose data is not JSON and keeps reading', async () => {
    const stream = bridge.nextStream();
    const next = nextCall((fn) => client.on('settings.changed', fn));
    const res = await stream;
    res.write('event: settings.changed\ndata: {not json\n\n');
    res.write('event: settings.changed\ndata: {"ui":{"language":"en"}}\n\n');
    await expect(next).resolves.toEqual(publicSettingsLike);
  });

  it('opens one stream for all listeners and closes it with the last unsubscribe', async () => {
    const stream = bridge.nextStream();
    const offA = client.on('settings.changed', () => {});
    const offB = client.on('settings.changed', () => {});
    const res = await stream;
    const gone = closed(res);
    offA();
    expect(res.destroyed).toBe(false);
    offB();
    await gone;
  });

  it('reconnects after the stream drops and asks the UI to resync', async () => {
    const first = bridge.nextStream();
    const resync = nextCall<void>((fn) => client.onResync(() => fn()));
    const payloads: unknown[] = [];
    const delivered = new Promise<void>((ok) =>
      listen((p) => {
        payloads.push(p);
        ok();
      }),
    );
    const res1 = await first;
    const second = bridge.nextStream();
    res1.end(); // the desk restarted, or the connection broke
    await resync;
    const res2 = await second;
    res2.write('event: settings.changed\ndata: {"ui":{"language":"en"}}\n\n');
    await delivered;
    expect(payloads).toEqual([publicSettingsLike]);
  });

  it('does not resync on the first connection', async () => {
    let resyncs = 0;
    client.onResync(() => resyncs++);
    const stream = bridge.nextStream();
    const next = nextCall((fn) => client.on('settings.changed', fn));
    const res = await stream;
    res.write('event: settings.changed\ndata: {"ui":{"language":"en"}}\n\n');
    await next;
    expect(resyncs).toBe(0);
  });
});
