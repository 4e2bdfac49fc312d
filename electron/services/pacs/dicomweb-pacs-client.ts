/**
 * PacsClient over DICOMweb: STOW-RS to store (PS3.18 §10.5), QIDO-RS to check what the PACS holds
 * (PS3.18 §10.6), on node:http / node:https.
 *
 * Why node:http rather than fetch: the request body is a file stream with a known length (fetch
 * would send it chunked through a web stream), a private CA must be trusted per connection (Node 20's
 * fetch takes one only through undici's Agent, which is not a dependency here), and an idle-socket
 * timeout is what "the PACS stopped answering" means for a long upload — a total deadline would cut a
 * slow but healthy 15 MB transfer.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { LocalFileError, PacsRequestError, type PacsClient, type PacsSettings, type StowItem, type StowResult } from './pacs-client';
import { multipartBody, type MultipartBody } from './multipart-body';
import { outcomesFor, parseStowResponse } from './stow-response';
import { RequestTimeoutError, statusFailure, transportFailure } from './request-failures';

/** Responses are small DICOM JSON; a larger one is not a DICOMweb answer we can use. */
const MAX_RESPONSE_BYTES = 32 << 20;
/** QIDO page size; paging keeps large studies within servers' result limits. */
const QIDO_PAGE = 1000;

interface Response {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** The DICOMweb root without credentials, query or trailing slash, for messages and logs. */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return raw;
  }
}

export class DicomwebPacsClient implements PacsClient {
  readonly url: string;
  private readonly root: URL;
  private readonly agent: http.Agent;
  private readonly auth: string | null;
  private readonly timeoutMs: number;
  private readonly setupError: PacsRequestError | null = null;

  constructor(settings: PacsSettings) {
    this.url = displayUrl(settings.dicomwebUrl);
    this.root = new URL(settings.dicomwebUrl.replace(/\/+$/, '') + '/');
    this.timeoutMs = settings.timeoutMs;
    this.auth = settings.bearerToken
      ? `Bearer ${settings.bearerToken}`
      : settings.username
        ? `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`
        : null;
    const agentOptions = { keepAlive: true, maxSockets: settings.concurrency + 1 };
    if (this.root.protocol === 'https:') {
      let ca: string[] | undefined;
      if (settings.caFile) {
        try {
          // Added to the public roots, so a PACS behind a public certificate keeps working too.
          ca = [...rootCertificates, readFileSync(settings.caFile, 'utf8')];
        } catch (e) {
          this.setupError = new PacsRequestError('PACS_TLS', { detail: `CA file unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})` }, { cause: e });
        }
      }
      this.agent = new https.Agent({ ...agentOptions, ...(ca ? { ca } : {}) });
    } else {
      this.agent = new http.Agent(agentOptions);
    }
  }

  async store(items: readonly StowItem[]): Promise<StowResult> {
    if (items.length === 0) return { httpStatus: 200, outcomes: new Map() };
    for (const item of items) {
      let size: number;
      try {
        size = statSync(item.path).size;
      } catch (e) {
        throw new LocalFileError(item.sopInstanceUID, (e as NodeJS.ErrnoException).code ?? 'stat error', e);
      }
      if (size !== item.size) throw new LocalFileError(item.sopInstanceUID, `size ${size} ≠ ${item.size}`);
    }
    const res = await this.request('POST', 'studies', { accept: 'application/dicom+json' }, multipartBody(items));
    const sent = items.map((i) => i.sopInstanceUID);
    const lists = parseStowResponse(res.body);
    const failure = statusFailure(res.status, this.url, this.timeoutMs, new Set(sent.filter((u) => lists.stored.has(u))));
    if (failure) throw failure;
    return { httpStatus: res.status, outcomes: outcomesFor(sent, lists, res.status) };
  }

  async instancesOfStudy(studyInstanceUID: string): Promise<Set<string>> {
    const found = new Set<string>();
    for (let offset = 0; ; offset += QIDO_PAGE) {
      // UIDs are plain ASCII digits and dots: nothing to percent-encode (Orthanc's QIDO would not decode it).
      const res = await this.request('GET', `studies/${studyInstanceUID}/instances?limit=${QIDO_PAGE}&offset=${offset}`, {
        accept: 'application/dicom+json',
      });
      if (res.status === 204 || res.status === 404) return found;
      const failure = statusFailure(res.status, this.url, this.timeoutMs) ?? (res.status !== 200 ? new PacsRequestError('PACS_NOT_DICOMWEB', { url: this.url }, { httpStatus: res.status }) : null);
      if (failure) throw failure;
      const page = parseQidoUids(res.body);
      if (page === null) throw new PacsRequestError('PACS_NOT_DICOMWEB', { url: this.url }, { httpStatus: res.status });
      const before = found.size;
      for (const uid of page) found.add(uid);
      // A server that ignores limit/offset sends the same page again: stop when nothing is new.
      if (page.length < QIDO_PAGE || found.size === before) return found;
    }
  }

  async probe(): Promise<void> {
    const res = await this.request('GET', 'studies?limit=1', { accept: 'application/dicom+json' });
    const failure = statusFailure(res.status, this.url, this.timeoutMs);
    if (failure) throw failure;
    if (res.status === 204) return;
    if (res.status !== 200 || parseQidoUids(res.body, '0020000D') === null) {
      throw new PacsRequestError('PACS_NOT_DICOMWEB', { url: this.url }, { httpStatus: res.status });
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private async request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: MultipartBody): Promise<Response> {
    if (this.setupError) throw this.setupError;
    try {
      return await this.attempt(method, path, headers, body);
    } catch (e) {
      if (e instanceof LocalFileError) throw e;
      // A kept-alive socket the server closed while idle fails on first use: one fresh try.
      if (e instanceof StaleSocketError) {
        try {
          return await this.attempt(method, path, headers, body);
        } catch (e2) {
          if (e2 instanceof LocalFileError) throw e2;
          throw transportFailure(e2 instanceof StaleSocketError ? e2.cause : e2, this.url, this.timeoutMs);
        }
      }
      throw transportFailure(e, this.url, this.timeoutMs);
    }
  }

  private attempt(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: MultipartBody): Promise<Response> {
    const url = new URL(path, this.root);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      let done = false;
      const finish = (err: unknown, res?: Response) => {
        if (done) return;
        done = true;
        if (err !== null) reject(err);
        else resolve(res as Response);
      };
      const req = lib.request(url, {
        method,
        agent: this.agent,
        headers: {
          ...headers,
          ...(this.auth ? { authorization: this.auth } : {}),
          ...(body ? { 'content-type': body.contentType, 'content-length': String(body.contentLength) } : {}),
        },
      });
      let gotResponse = false;
      req.setTimeout(this.timeoutMs, () => req.destroy(new RequestTimeoutError()));
      req.on('error', (e) => {
        const code = (e as NodeJS.ErrnoException).code;
        if (!gotResponse && req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) finish(new StaleSocketError(e));
        else finish(e);
      });
      req.on('response', (res) => {
        gotResponse = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('error', (e) => finish(e));
        res.on('close', () => {
          if (!res.complete) finish(new Error('response cut short'));
        });
        res.on('end', () =>
          finish(null, {
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      if (!body) {
        req.end();
        return;
      }
      body.writeTo(req).catch((e: unknown) => {
        if (e instanceof LocalFileError) {
          req.destroy();
          finish(e);
        }
        // Otherwise: a PACS may answer (401, 413…) and close before reading the whole body; the
        // response, if any, decides, and the request's own 'error' reports a real failure.
      });
    });
  }
}

class StaleSocketError extends Error {
  constructor(override readonly cause: unknown) {
    super('stale keep-alive socket');
  }
}

/**
 * The values of `tag` (SOPInstanceUID by default) in a QIDO-RS DICOM JSON array, or null when the
 * body is not such an array.
 */
export function parseQidoUids(body: string, tag = '00080018'): string[] | null {
  if (body.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const out: string[] = [];
  for (const ds of parsed) {
    const v = (ds as Record<string, { Value?: unknown[] } | undefined> | null)?.[tag]?.Value?.[0];
    if (typeof v === 'string') out.push(v);
  }
  return out;
}

export function createDicomwebPacsClient(settings: PacsSettings): PacsClient {
  return new DicomwebPacsClient(settings);
}
