/**
 * The result page's images are progressive JPEGs: a real Orthanc renders baseline JPEG (WADO-RS
 * `/rendered`), the server passes it through the real jpegtran, and the phone gets SOF2 with the
 * very pixels Orthanc rendered (both decoded by djpeg and compared sample for sample) — on the
 * page, full screen and as the download. A server whose JPEGTRAN_PATH points nowhere serves
 * Orthanc's baseline bytes unchanged and says so once in its log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../electron/services/clock';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../../test/support/orthanc';
import { jpegMarkers, SOF0, SOF2 } from '../src/pacs/jpeg-markers';
import type { PacsImageSource, StudyImage } from '../src/pacs/pacs-images';
import type { Sql } from '../src/db/sql';
import { memorySql } from './support/memory-sql';
import { djpeg, haveJpegTools } from './support/jpeg-tools';
import { newToken, slipRecord } from './support/fixtures';
import { enrol, get, imageIds, openToken, postRecords, startTestServer, type TestServer } from './support/test-server';
import { orthancImages, studyFiles, upload } from './support/pacs';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0);

describe.skipIf(!(requireOrHave('Orthanc', orthancAvailable()) && haveJpegTools()))('progressive JPEG on the result page', () => {
  let sql: Sql;
  let orthanc: OrthancHandle;
  let pacs: PacsImageSource;
  let server: TestServer;
  let noJpegtran: TestServer;
  const study = studyFiles({ patientName: 'PHẠM^THỊ HOA', views: 1, rows: 1400 });
  const f = study.files[0]!;
  const image: StudyImage = { studyUID: f.studyInstanceUID, seriesUID: f.seriesInstanceUID, instanceUID: f.sopInstanceUID, seriesNumber: 1, instanceNumber: 1 };

  async function openImage(s: TestServer): Promise<{ cookie: string; id: string }> {
    const key = await enrol(sql);
    const token = newToken();
    expect((await postRecords(s.url, key, [slipRecord(token, { now: NOW, studyInstanceUIDs: [f.studyInstanceUID] })])).status).toBe(200);
    const { cookie } = await openToken(s.url, token);
    const ids = imageIds((await get(`${s.url}/result`, { cookie: cookie as string })).text);
    expect(ids).toHaveLength(1);
    return { cookie: cookie as string, id: ids[0] as string };
  }

  beforeAll(async () => {
    [sql, orthanc] = await Promise.all([memorySql(), startOrthanc()]);
    await upload(orthanc, study.bytes);
    pacs = orthancImages(orthanc);
    server = await startTestServer({ sql, pacs, clock: manualClock(NOW) });
    noJpegtran = await startTestServer({ sql, pacs, clock: manualClock(NOW), env: { JPEGTRAN_PATH: '/nonexistent/bin/jpegtran' } });
  });
  afterAll(async () => {
    await server?.close();
    await noJpegtran?.close();
    await Promise.all([sql?.close(), orthanc?.stop()]);
  });

  it('gets baseline JPEGs from Orthanc (the premise)', async () => {
    const m = jpegMarkers((await pacs.rendered(image, 1024)).bytes);
    expect(m).toContain(SOF0);
    expect(m).not.toContain(SOF2);
  });

  it.each([
    ['page image', '', 1024],
    ['full screen', '?size=full', null],
    ['download', '?download=1', null],
  ] as const)('serves the %s as a progressive JPEG with the pixels Orthanc rendered', async (_what, query, viewport) => {
    const { cookie, id } = await openImage(server);
    const got = await get(`${server.url}/result/img/${id}${query}`, { cookie });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(got.headers.get('content-length'))).toBe(got.body.length);
    const m = jpegMarkers(got.body);
    expect(m).toContain(SOF2);
    expect(m).not.toContain(SOF0);
    const baseline = (await pacs.rendered(image, viewport)).bytes;
    const [a, b] = [djpeg(got.body), djpeg(baseline)];
    expect(a.length).toBe(b.length);
    expect(a.equals(b)).toBe(true);
    // Served again from the cache: still the progressive bytes.
    const again = await get(`${server.url}/result/img/${id}${query}`, { cookie });
    expect(again.body.equals(got.body)).toBe(true);
  });

  it('falls back to the baseline bytes when jpegtran is missing, and logs that once without patient data', async () => {
    const { cookie, id } = await openImage(noJpegtran);
    const first = await get(`${noJpegtran.url}/result/img/${id}`, { cookie });
    const full = await get(`${noJpegtran.url}/result/img/${id}?size=full`, { cookie });
    expect(first.status).toBe(200);
    expect(first.body.equals((await pacs.rendered(image, 1024)).bytes)).toBe(true);
    expect(full.body.equals((await pacs.rendered(image, null)).bytes)).toBe(true);
    expect(jpegMarkers(first.body)).toContain(SOF0);
    const warnings = noJpegtran.logger.lines.filter((l) => l.includes('progressive JPEG'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 'warn', reason: 'missing', jpegtran: '/nonexistent/bin/jpegtran' });
    const all = noJpegtran.logger.lines.join('\n');
    expect(all).not.toContain(f.sopInstanceUID);
    expect(all).not.toContain(f.studyInstanceUID);
    expect(all).not.toContain('PHẠM');
  });
});
