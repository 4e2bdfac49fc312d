/**
 * A real Orthanc (Debian package) for integration tests: started as a plain process with a temp
 * config on free ports, DICOMweb and worklist plugins listed explicitly (the default plugin folder
 * would also load the PostgreSQL plugins), storage in a temp dir removed on stop.
 *
 * Why not one Orthanc per test: SIGTERM takes 1.5–3.5 s, so suites start one and call `reset()`
 * (bulk delete) between tests. Orthanc binds 0.0.0.0 with no bind option; send it loopback traffic only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORTHANC_BIN = '/usr/sbin/Orthanc';
const PLUGIN_DIR = '/usr/share/orthanc/plugins';
const DICOMWEB_PLUGIN = join(PLUGIN_DIR, 'libOrthancDicomWeb.so');
const WORKLIST_PLUGIN = join(PLUGIN_DIR, 'libModalityWorklists.so');

export interface OrthancHandle {
  /** REST root, e.g. http://127.0.0.1:40123 (no trailing slash, no credentials). */
  httpUrl: string;
  /** DICOMweb root, e.g. http://127.0.0.1:40123/dicom-web (no trailing slash). */
  dicomwebUrl: string;
  dicomPort: number;
  aet: string;
  /** Folder of .wl files served by the worklist plugin (MWL C-FIND). */
  worklistDir: string;
  pid: number;
  /** Deletes every patient (and so every study/series/instance). */
  reset(): Promise<void>;
  /** SIGTERM, then SIGKILL after a timeout; removes the temp storage unless the caller gave it. */
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process holds its sockets but answers nothing (a hung PACS). */
  pause(): void;
  resume(): void;
  /** Every stored instance's SOPInstanceUID, one entry per stored copy (duplicates show twice). */
  sopInstanceUIDs(): Promise<string[]>;
  /** The stored bytes of the (first) instance with this SOPInstanceUID. */
  instanceFile(sopInstanceUID: string): Promise<Buffer>;
  /** GET a REST path (e.g. '/statistics') and parse the JSON. */
  get(path: string): Promise<unknown>;
}

export interface StartOrthancOptions {
  /** When given, HTTP basic authentication is on with this one user. */
  username?: string;
  password?: string;
  /** Worklist folder; a temp folder inside Orthanc's temp dir by default. */
  worklistDir?: string;
  /** AE title; ORTHANC by default. */
  aet?: string;
  /**
   * Keep storage and index here, and leave them on stop: a second startOrthanc on the same folder
   * is the same PACS restarted (for outage tests). A temp folder, removed on stop, by default.
   */
  storageDir?: string;
  /** Ports to try first (a demo wants 8042/4242); free ports are used if these are taken. */
  httpPort?: number;
  dicomPort?: number;
}

export function orthancAvailable(): boolean {
  return existsSync(ORTHANC_BIN) && existsSync(DICOMWEB_PLUGIN);
}

/**
 * For `describe.skipIf(!requireOrHave('Orthanc', orthancAvailable()))`: with REQUIRE_REAL_PARTS=1 a
 * missing real part is a failure, not a skip; otherwise the skip is announced loudly.
 */
export function requireOrHave(name: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.REQUIRE_REAL_PARTS === '1') throw new Error(`${name} is required (REQUIRE_REAL_PARTS=1) but is not installed`);
  console.warn(`\n*** SKIPPING tests that need ${name}: not installed on this machine ***\n`);
  return false;
}

/** A free loopback TCP port (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(addr.port));
    });
  });
}

export async function startOrthanc(opts: StartOrthancOptions = {}): Promise<OrthancHandle> {
  if (!orthancAvailable()) throw new Error(`Orthanc or its DICOMweb plugin is missing (${ORTHANC_BIN}, ${DICOMWEB_PLUGIN})`);
  const root = opts.storageDir ?? mkdtempSync(join(tmpdir(), 'orthanc-'));
  mkdirSync(root, { recursive: true });
  const worklistDir = opts.worklistDir ?? join(root, 'worklists');
  mkdirSync(worklistDir, { recursive: true });
  const aet = opts.aet ?? 'ORTHANC';
  const auth = opts.username !== undefined;
  const authHeader = auth ? 'Basic ' + Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64') : undefined;

  // A port can be taken between our probe and Orthanc's bind; retry a few times with new ports.
  for (let attempt = 0; ; attempt++) {
    const httpPort = attempt === 0 && opts.httpPort ? opts.httpPort : await freePort();
    const dicomPort = attempt === 0 && opts.dicomPort ? opts.dicomPort : await freePort();
    // A name of our own: /system must answer with it, not another server that holds the port.
    const name = `raddesk-${randomBytes(4).toString('hex')}`;
    const config = {
      Name: name,
      StorageDirectory: join(root, 'storage'),
      IndexDirectory: join(root, 'index'),
      HttpPort: httpPort,
      DicomPort: dicomPort,
      DicomAet: aet,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: auth,
      RegisteredUsers: auth ? { [opts.username as string]: opts.password ?? '' } : {},
      HttpCompressionEnabled: false,
      DefaultEncoding: 'Utf8',
      DicomAlwaysAllowFindWorklist: true,
      DicomCheckCalledAet: false,
      Plugins: [DICOMWEB_PLUGIN, WORKLIST_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      Worklists: { Enable: true, Database: worklistDir },
      SaveJobs: false,
      // Instances are kept byte for byte (the sync tests compare MD5s against the originals).
      StorageCompression: false,
      OverwriteInstances: false,
    };
    const configFile = join(root, 'orthanc.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const logFd = openSync(join(root, `orthanc-${attempt}.log`), 'a');
    const child = spawn(ORTHANC_BIN, [configFile], { stdio: ['ignore', logFd, logFd], detached: false });
    closeSync(logFd);
    const httpUrl = `http://127.0.0.1:${httpPort}`;
    const ready = await waitReady(child, httpUrl, authHeader, name);
    if (!ready) {
      await terminate(child);
      if (attempt >= 3) {
        if (!opts.storageDir) rmSync(root, { recursive: true, force: true });
        throw new Error(`Orthanc did not start (see logs under ${root})`);
      }
      continue;
    }
    // A test that forgets stop() (or a failing beforeAll) must not leave Orthanc running.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    return makeHandle({ child, root, ownsRoot: !opts.storageDir, httpUrl, dicomPort, aet, worklistDir, authHeader });
  }
}

async function waitReady(child: ChildProcess, httpUrl: string, authHeader: string | undefined, name: string): Promise<boolean> {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 20_000;
  while (!exited && Date.now() < deadline) {
    try {
      const res = await fetch(`${httpUrl}/system`, { headers: authHeader ? { authorization: authHeader } : {} });
      const body = await res.text();
      if (res.status === 200) return !exited && (JSON.parse(body) as { Name?: string }).Name === name;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function terminate(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(child.pid as number, 'SIGCONT'); // a paused process cannot handle SIGTERM
  } catch {
    // already gone
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function makeHandle(p: {
  child: ChildProcess;
  root: string;
  ownsRoot: boolean;
  httpUrl: string;
  dicomPort: number;
  aet: string;
  worklistDir: string;
  authHeader: string | undefined;
}): OrthancHandle {
  const headers = (extra: Record<string, string> = {}): Record<string, string> =>
    p.authHeader ? { authorization: p.authHeader, ...extra } : extra;

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(p.httpUrl + path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) {
      const text = await res.text();
      throw new Error(`Orthanc ${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    }
    return res;
  }
  const json = async (method: string, path: string, body?: unknown): Promise<unknown> => (await request(method, path, body)).json();

  async function findInstances(query: Record<string, string>): Promise<{ ID: string; MainDicomTags: { SOPInstanceUID?: string } }[]> {
    return (await json('POST', '/tools/find', { Level: 'Instance', Query: query, Expand: true })) as {
      ID: string;
      MainDicomTags: { SOPInstanceUID?: string };
    }[];
  }

  return {
    httpUrl: p.httpUrl,
    dicomwebUrl: `${p.httpUrl}/dicom-web`,
    dicomPort: p.dicomPort,
    aet: p.aet,
    worklistDir: p.worklistDir,
    pid: p.child.pid as number,
    async reset() {
      const patients = (await json('GET', '/patients')) as string[];
      if (patients.length === 0) return;
      try {
        await request('POST', '/tools/bulk-delete', { Resources: patients });
      } catch {
        for (const id of patients) await request('DELETE', `/patients/${id}`);
      }
    },
    async stop() {
      await terminate(p.child);
      if (p.ownsRoot) rmSync(p.root, { recursive: true, force: true });
    },
    pause() {
      process.kill(p.child.pid as number, 'SIGSTOP');
    },
    resume() {
      process.kill(p.child.pid as number, 'SIGCONT');
    },
    async sopInstanceUIDs() {
      const found = await findInstances({});
      return found.map((i) => i.MainDicomTags.SOPInstanceUID ?? '');
    },
    async instanceFile(sopInstanceUID) {
      const found = await findInstances({ SOPInstanceUID: sopInstanceUID });
      const first = found[0];
      if (!first) throw new Error(`Orthanc holds no instance ${sopInstanceUID}`);
      return Buffer.from(await (await request('GET', `/instances/${first.ID}/file`)).arrayBuffer());
    },
    get: (path) => json('GET', path),
  };
}
