/**
 * The patient's result page under 50 concurrent phones on loopback, against the floor: the same
 * page bytes and the same JPEGs served as static files from disk by a minimal node:http server on
 * the same machine. Each simulated phone has its own keep-alive connection pool (6 sockets, like a
 * browser) and its own session; one "load" is the page, its CSS and script, then every image in
 * parallel. Reported: time to first byte of the page and full load, medians (p95 in the detail),
 * ours ÷ static — lower is better, 1.0 is the floor.
 *
 * Real parts: Orthanc renders the JPEGs (then the server's cache serves them), PostgreSQL 15 when
 * installed (else PGlite, named in the detail). With `wrk` installed, its requests/second on the
 * page alone are added. Last, `/r/{token}` for an unknown, an expired and a revoked token, one
 * after another: the spread of their medians (slowest ÷ fastest; 1.0 = indistinguishable).
 */
import http from 'node:http';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { median, type BenchResult } from './bench-result';
import { orthancAvailable, startOrthanc } from '../test/support/orthanc';
import { postgresInstalled, startPostgres, type PostgresHandle } from '../test/support/postgres';
import { tempDir } from '../test/support/temp-dir';
import { systemClock } from '../electron/services/clock';
import { silentLogger } from '../electron/services/logger';
import { loadConfig } from '../server/src/config';
import { createClinicServer } from '../server/src/app';
import { createPgSql } from '../server/src/db/pg-sql';
import { createPgliteSql } from '../server/src/db/pglite-sql';
import { migrate } from '../server/src/db/migrate';
import { serverMigrations } from '../server/src/db/migrations';
import type { Sql } from '../server/src/db/sql';
import { enrolDesk } from '../server/src/records/desks';
import { createRecordsStore } from '../server/src/records/records-store';
import { orthancImages, studyFiles, upload } from '../server/test/support/pacs';
import { newToken, revocationRecord, slipRecord } from '../server/test/support/fixtures';

const QUICK = process.env.BENCH_QUICK === '1';
const PHONES = 50;
const LOADS_PER_PHONE = QUICK ? 2 : 10;
const IMAGES = QUICK ? 2 : 4;
const IMAGE_SIZE = QUICK ? 512 : 2048;

interface Timing {
  ttfb: number;
  full: number;
}

function fetchOnce(agent: http.Agent, base: string, path: string, cookie: string | null): Promise<{ ttfb: number; end: number; body: Buffer; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { agent, headers: cookie ? { cookie } : {} }, (res) => {
      const ttfb = performance.now() - t0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ttfb, end: performance.now() - t0, body: Buffer.concat(chunks), status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** One phone's load: page, then CSS + script + every image at once (the agent caps it at 6 sockets). */
async function load(agent: http.Agent, base: string, page: string, assets: readonly string[], cookie: string | null): Promise<Timing> {
  const t0 = performance.now();
  const first = await fetchOnce(agent, base, page, cookie);
  if (first.status !== 200) throw new Error(`${page} → ${first.status}`);
  const rest = await Promise.all(assets.map((a) => fetchOnce(agent, base, a, cookie)));
  for (const r of rest) if (r.status !== 200) throw new Error(`asset → ${r.status}`);
  return { ttfb: first.ttfb, full: performance.now() - t0 };
}

async function loadTest(base: string, page: string, assets: readonly string[], cookies: readonly (string | null)[]): Promise<Timing[]> {
  const out: Timing[] = [];
  await Promise.all(
    cookies.map(async (cookie) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
      try {
        for (let i = 0; i < LOADS_PER_PHONE; i++) out.push(await load(agent, base, page, assets, cookie));
      } finally {
        agent.destroy();
      }
    }),
  );
  return out;
}

/** The floor: files from disk, the way any static server sends them. */
function staticServer(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { html: 'text/html; charset=utf-8', css: 'text/css', js: 'text/javascript', jpg: 'image/jpeg' };
  const srv = http.createServer((req, res) => {
    const name = (req.url ?? '/').replace(/^\/+/, '').replace(/[^A-Za-z0-9_.-]/g, '');
    const file = join(root, name);
    if (!name || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[name.split('.').pop() ?? ''] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => new Promise((r) => srv.close(() => r())) }),
    ),
  );
}

async function wrkRps(url: string, cookie: string | null): Promise<number | null> {
  if (!existsSync('/usr/bin/wrk')) return null;
  const args = ['-t2', '-c50', `-d${QUICK ? 2 : 5}s`, ...(cookie ? ['-H', `Cookie: ${cookie}`] : []), url];
  const { stdout } = await promisify(execFile)('/usr/bin/wrk', args);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  return m ? Number(m[1]) : null;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

export async function run(): Promise<BenchResult[]> {
  if (!orthancAvailable()) throw new Error('Orthanc with the DICOMweb plugin is needed (apt-get install orthanc orthanc-dicomweb)');
  const dir = tempDir('raddesk-bench-result-');
  const orthanc = await startOrthanc();
  let pg: PostgresHandle | null = null;
  let sql: Sql | null = null;
  let app: ReturnType<typeof createClinicServer> | null = null;
  let floor: Awaited<ReturnType<typeof staticServer>> | null = null;
  try {
    const study = studyFiles({ patientName: 'NGUYỄN^VĂN AN', views: IMAGES, rows: IMAGE_SIZE });
    await upload(orthanc, study.bytes);
    if (postgresInstalled()) {
      pg = await startPostgres();
      sql = createPgSql(await pg.createDatabase('bench_result'), { max: 20 });
    } else {
      sql = await createPgliteSql();
    }
    await migrate(sql, serverMigrations);
    const config = { ...loadConfig({ PORT: '0', RESULT_RATE_PER_MINUTE: '1000000' }), port: 0 };
    app = createClinicServer({ config, sql, pacs: orthancImages(orthanc), clock: systemClock, logger: silentLogger });
    const base = await app.listen();

    // 50 phones, 50 slips, 50 sessions.
    const desk = await enrolDesk(sql, systemClock, 'Bàn bench');
    const store = createRecordsStore({ sql, clock: systemClock, logger: silentLogger });
    const tokens = Array.from({ length: PHONES }, () => newToken());
    await store.storeBatch(
      desk.id,
      tokens.map((t) => slipRecord(t, { now: Date.now(), studyInstanceUIDs: [study.files[0]!.studyInstanceUID] })),
    );
    const cookies: string[] = [];
    for (const t of tokens) {
      const r = await fetch(`${base}/r/${t}`, { redirect: 'manual' });
      cookies.push((r.headers.getSetCookie()[0] ?? '').split(';')[0] as string);
    }

    // Each session's page names its own image ids; the asset list is per phone, so read them once.
    const assetsOf = async (cookie: string) => {
      const html = await (await fetch(`${base}/result`, { headers: { cookie } })).text();
      return [...html.matchAll(/(?:href|src)="(\/(?:static|result\/img)\/[^"]+)"/g)].map((m) => (m[1] as string).replace(/&amp;/g, '&'));
    };
    const perPhone = await Promise.all(cookies.map(assetsOf));
    // Warm-up: the PACS renders each JPEG once; afterwards the server's cache answers.
    await loadTest(base, '/result', perPhone[0]!, [cookies[0]!]);

    // The floor's copy of the same bytes.
    const staticDir = join(dir.path, 'static');
    mkdirSync(staticDir);
    const page = Buffer.from(await (await fetch(`${base}/result`, { headers: { cookie: cookies[0]! } })).arrayBuffer());
    writeFileSync(join(staticDir, 'result.html'), page);
    const staticAssets: string[] = [];
    for (const [i, a] of perPhone[0]!.entries()) {
      const bytes = Buffer.from(await (await fetch(`${base}${a}`, { headers: { cookie: cookies[0]! } })).arrayBuffer());
      const name = a.startsWith('/static/') ? a.slice('/static/'.length).split('?')[0]! : `img${i}.jpg`;
      writeFileSync(join(staticDir, name), bytes);
      staticAssets.push(`/${name}`);
    }
    const jpegBytes = staticAssets.filter((a) => a.endsWith('.jpg')).reduce((n, a) => n + readFileSync(join(staticDir, a.slice(1))).length, 0);
    floor = await staticServer(staticDir);

    // Ours: each phone its own session and image ids.
    const oursT: Timing[] = [];
    await Promise.all(
      cookies.map(async (cookie, i) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
        try {
          for (let k = 0; k < LOADS_PER_PHONE; k++) oursT.push(await load(agent, base, '/result', perPhone[i]!, cookie));
        } finally {
          agent.destroy();
        }
      }),
    );
    const floorT = await loadTest(floor.url, '/result.html', staticAssets, cookies.map(() => null));

    const o = { ttfb: oursT.map((t) => t.ttfb), full: oursT.map((t) => t.full) };
    const f = { ttfb: floorT.map((t) => t.ttfb), full: floorT.map((t) => t.full) };
    const store_ = sql.kind === 'postgres' ? 'PostgreSQL 15' : 'PGlite';
    const results: BenchResult[] = [
      {
        name: `result page TTFB, ${PHONES} phones vs static file`,
        ratio: median(o.ttfb) / median(f.ttfb),
        detail: `ours p50 ${ms(median(o.ttfb))} p95 ${ms(p95(o.ttfb))}; static p50 ${ms(median(f.ttfb))} p95 ${ms(p95(f.ttfb))}; ${oursT.length} loads, ${store_}; lower is better`,
      },
      {
        name: `result page full load (page+css+js+${IMAGES} JPEG), ${PHONES} phones`,
        ratio: median(o.full) / median(f.full),
        detail: `ours p50 ${ms(median(o.full))} p95 ${ms(p95(o.full))}; static p50 ${ms(median(f.full))} p95 ${ms(p95(f.full))}; page ${page.length} B, JPEGs ${(jpegBytes / 1024).toFixed(0)} KB (${IMAGE_SIZE}² DX); lower is better`,
      },
    ];
    // Unknown, expired, revoked: the same work, the same answer; how close are their timings?
    const expired = newToken();
    const revoked = newToken();
    await store.storeBatch(desk.id, [
      slipRecord(expired, { now: Date.now() - 400 * 86_400_000 }),
      slipRecord(revoked, { now: Date.now() }),
      revocationRecord(revoked, Date.now()),
    ]);
    const kinds = { unknown: () => newToken(), expired: () => expired, revoked: () => revoked };
    const samples: Record<string, number[]> = { unknown: [], expired: [], revoked: [] };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < (QUICK ? 100 : 600); i++) {
      for (const [k, t] of Object.entries(kinds)) {
        const r = await fetchOnce(agent, base, `/r/${t()}`, null);
        if (r.status !== 404) throw new Error(`/r/ ${k} → ${r.status}`);
        samples[k]!.push(r.end);
      }
    }
    agent.destroy();
    const meds = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    const vals = Object.values(meds);
    results.push({
      name: 'invalid /r/ tokens: unknown vs expired vs revoked',
      ratio: Math.max(...vals) / Math.min(...vals),
      detail: `medians ${Object.entries(meds).map(([k, v]) => `${k} ${(v * 1000).toFixed(0)} µs`).join(', ')}; slowest ÷ fastest, 1.0 = indistinguishable`,
    });

    const oursRps = await wrkRps(`${base}/result`, cookies[0]!);
    const floorRps = await wrkRps(`${floor.url}/result.html`, null);
    if (oursRps && floorRps) {
      results.push({
        name: 'result page alone, wrk 50 connections (req/s)',
        ratio: floorRps / oursRps,
        detail: `ours ${oursRps.toFixed(0)} req/s, static ${floorRps.toFixed(0)} req/s; static ÷ ours, lower is better`,
      });
    }
    return results;
  } finally {
    await floor?.close();
    await app?.close();
    await sql?.close();
    await pg?.stop();
    await orthanc.stop();
    dir.remove();
  }
}
