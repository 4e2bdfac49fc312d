/**
 * QA against the real sender: an image rejected in the viewer (keys X then 1, in Chromium) never
 * reaches the PACS, while its accepted sibling does — desk in browser mode with its sync running,
 * Debian Orthanc with DICOMweb as the PACS. Waits are on states (Orthanc's contents, the desk's
 * sync list), never on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStudy } from '../support/dicom-fixtures';
import { chromiumAvailable } from '../support/real-parts';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { openStudy, openWorkstation, row, type Workstation } from './viewer-harness';

const ready = chromiumAvailable() && requireOrHave('Orthanc', orthancAvailable());

/** Polls a state (not a clock): returns as soon as `check` holds, fails after `limitMs`. */
async function until(check: () => Promise<boolean>, what: string, limitMs = 25_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`still waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe.skipIf(!ready)('a rejected image is never sent (Chromium + Orthanc)', () => {
  let ws: Workstation;
  let pacs: OrthancHandle;

  beforeAll(async () => {
    [ws, pacs] = await Promise.all([openWorkstation(), startOrthanc()]);
    await ws.call('settings.update', { pacs: { dicomwebUrl: pacs.dicomwebUrl } });
  });
  afterAll(async () => {
    await ws?.close();
    await pacs?.stop();
  });

  it('sends the accepted view of a study and keeps the rejected one', async () => {
    const { page } = ws;
    const files = makeStudy(ws.exportDir, { views: 2, patientName: 'ĐỖ THỊ QUỲNH', patientID: 'BN8801', rows: 256, columns: 256 });
    const study = files[0]!.studyInstanceUID;
    await row(page, study).waitFor();
    await row(page, study).locator('.study-meta', { hasText: '2 ảnh' }).waitFor();
    await openStudy(page, study);
    await page.locator('.image-strip .strip-item').nth(1).waitFor();

    await page.keyboard.press('x');
    await page.locator('.qa-reasons').waitFor();
    await page.keyboard.press('3');
    await page.locator('[data-testid=qa-decision]', { hasText: 'Đã loại — Sai chỉ định (worklist)' }).waitFor();
    const rejectedId = Number(await page.locator('[data-testid=viewport]').getAttribute('data-instance-id'));
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid=qa-decision]', { hasText: 'Chưa duyệt' }).waitFor();
    await page.keyboard.press('a');
    await page.locator('[data-testid=qa-progress]', { hasText: '2/2' }).waitFor();

    const listed = (await ws.call('images.list', { studyInstanceUIDs: [study] })) as {
      items: { series: { images: { instanceId: number; sopInstanceUID: string; decision: string }[] }[] }[];
    };
    const images = listed.items[0]!.series.flatMap((s) => s.images);
    const rejected = images.find((i) => i.instanceId === rejectedId)!;
    const accepted = images.find((i) => i.instanceId !== rejectedId)!;
    expect([rejected.decision, accepted.decision]).toEqual(['rejected', 'accepted']);

    // Released for sending as a whole study: only the accepted image may leave.
    await ws.call('studies.release', { studyInstanceUIDs: [study] });
    await until(async () => (await pacs.sopInstanceUIDs()).length > 0, 'the accepted image in Orthanc');
    await until(async () => {
      const list = (await ws.call('sync.list', {})) as { items: { studyInstanceUID: string; counts: Record<string, number> }[] };
      const s = list.items.find((x) => x.studyInstanceUID === study);
      return s !== undefined && s.counts.sending === 0 && (s.counts.sent ?? 0) + (s.counts.verified ?? 0) === 1;
    }, 'the sender to settle');
    expect(await pacs.sopInstanceUIDs()).toEqual([accepted.sopInstanceUID]);
  });
});
