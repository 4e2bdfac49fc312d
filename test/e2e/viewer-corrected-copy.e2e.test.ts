/**
 * The viewer shows what will leave the desk: once a study is attached to a visit, the desk writes a
 * corrected copy of each image (the visit's identity in its tags, PS3.3 C.12.1.1.9) and the image
 * route serves that copy — under a new revision in its URL and a new ETag, so neither the browser's
 * `immutable` cache nor Cornerstone3D's imageId cache keeps the image as received. Then Chromium
 * redraws the image from the new URL and the four corners name the visit's patient.
 *
 * Real parts throughout: the desk in browser mode ingesting from its watch folder, the visits
 * capability writing the copy (`visits.create` + `visits.attach` through dispatch), the bridge's
 * image route over a socket, dcmtk's dcmdump reading the served bytes, Debian Chromium.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDx } from '../support/dicom-fixtures';
import { chromiumAvailable } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { dcmdump, dcmtkAvailable, dumpValue } from '../visits/dcmtk';
import { fitGeometry, openStudy, openWorkstation, row, sampleCanvas, type Workstation } from './viewer-harness';

const N = 256;
type Listed = { items: { series: { images: { instanceId: number; revision: string }[] }[] }[] };

describe.skipIf(!chromiumAvailable() || !dcmtkAvailable())('the viewer shows the corrected copy after an attach (Chromium)', () => {
  let ws: Workstation;
  const scratch = tempDir('copy-e2e-');

  beforeAll(async () => {
    ws = await openWorkstation();
  });
  afterAll(async () => {
    await ws?.close();
    scratch.remove();
  });

  /** The one image of a study, as `images.list` gives it to the viewer. */
  const imageOf = async (study: string) => {
    const listed = (await ws.call('images.list', { studyInstanceUIDs: [study] })) as Listed;
    return listed.items[0]!.series[0]!.images[0]!;
  };
  const fetchImage = (instanceId: number, revision?: string, headers: Record<string, string> = {}) =>
    fetch(`${ws.bridge.url}/files/instances/${instanceId}${revision === undefined ? '' : `?v=${revision}`}`, {
      headers: { Authorization: `Bearer ${ws.bridge.token}`, ...headers },
    });
  /** PatientName of served bytes, read by dcmtk (which also rejects a malformed file). */
  const servedName = async (res: Response, name: string) => {
    const file = join(scratch.path, name);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return dumpValue(dcmdump(file), '(0010,0010)');
  };
  const overlayName = () => ws.page.locator('[data-testid=overlay-top-left] .overlay-name');
  const viewport = () => ws.page.locator('[data-testid=viewport]');

  it('serves and draws the visit’s identity once attached, under a new URL and ETag', async () => {
    const { page } = ws;
    // As the modality typed it: no diacritics, its own PatientID.
    const dx = makeDx(ws.exportDir, { patientName: 'TRAN^THI B NGOC', patientID: 'MOD-4411', rows: N, columns: N, seed: 7 });
    await row(page, dx.studyInstanceUID).waitFor();
    await openStudy(page, dx.studyInstanceUID);
    expect(await overlayName().textContent()).toBe('TRAN THI B NGOC');

    const before = await imageOf(dx.studyInstanceUID);
    expect(await viewport().getAttribute('data-revision')).toBe(before.revision);
    const first = await fetchImage(before.instanceId, before.revision);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/immutable$/);
    const firstEtag = first.headers.get('etag')!;
    expect(await servedName(first, 'received.dcm')).toBe('TRAN^THI B NGOC');

    const visit = (await ws.call('visits.create', {
      patientName: 'Trần Thị Bích Ngọc',
      patientID: 'BN7788',
      birthDate: '19920304',
      sex: 'F',
      procedure: 'X-quang ngực thẳng',
    })) as { id: string };
    await ws.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });

    // Same instance, other bytes: a new revision, a new ETag, the visit's name in the file.
    const after = await imageOf(dx.studyInstanceUID);
    expect(after.instanceId).toBe(before.instanceId);
    expect(after.revision).not.toBe(before.revision);
    const copy = await fetchImage(after.instanceId, after.revision);
    expect(copy.status).toBe(200);
    expect(copy.headers.get('etag')).not.toBe(firstEtag);
    expect(await servedName(copy, 'corrected.dcm')).toBe('Trần Thị Bích Ngọc');
    // The old URL no longer answers with bytes, and the old ETag no longer validates.
    expect((await fetchImage(before.instanceId, before.revision)).status).toBe(404);
    expect((await fetchImage(before.instanceId, undefined, { 'If-None-Match': firstEtag })).status).toBe(200);

    // The viewer follows (visits.changed): it draws the image from its new URL — the overlays
    // show only once the image on screen is the listed one — and names the visit's patient.
    await page.locator(`[data-testid=viewport][data-revision="${after.revision}"][data-render-state="rendered"]`).waitFor();
    await overlayName().filter({ hasText: 'Trần Thị Bích Ngọc' }).waitFor();
    expect(await page.locator('[data-testid=overlay-top-left]').textContent()).toContain('BN7788');
    expect(await row(page, dx.studyInstanceUID).locator('.study-name').textContent()).toBe('Trần Thị Bích Ngọc');
    // Same pixels: the correction touched tags only (the fixture's saturated top-left marker).
    const g = await fitGeometry(page, N, N);
    const marker = g.at(12, 12);
    expect(await sampleCanvas(page, marker.x, marker.y)).toBeGreaterThan(245);
  });
});
