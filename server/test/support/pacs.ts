/**
 * The real Orthanc as the clinic server's PACS: a study of small generated DX images uploaded
 * through Orthanc's REST API, and the server's DICOMweb image source pointed at it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeStudy, type DxFile } from '../../../test/support/dicom-fixtures';
import type { OrthancHandle } from '../../../test/support/orthanc';
import { createDicomwebImageSource } from '../../src/pacs/dicomweb-image-source';
import type { PacsImageSource } from '../../src/pacs/pacs-images';

export function studyFiles(opts: { patientName: string; views: number; rows?: number }): { files: DxFile[]; bytes: Buffer[] } {
  const dir = mkdtempSync(join(tmpdir(), 'srv-study-'));
  try {
    const files = makeStudy(dir, { views: opts.views, patientName: opts.patientName, rows: opts.rows ?? 256, columns: opts.rows ?? 256 });
    return { files, bytes: files.map((f) => readFileSync(f.path)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function upload(orthanc: OrthancHandle, bytes: readonly Buffer[]): Promise<void> {
  for (const b of bytes) {
    const res = await fetch(`${orthanc.httpUrl}/instances`, { method: 'POST', body: new Uint8Array(b), headers: { 'content-type': 'application/dicom' } });
    if (!res.ok) throw new Error(`Orthanc upload → ${res.status}`);
    await res.arrayBuffer();
  }
}

export function orthancImages(orthanc: OrthancHandle): PacsImageSource {
  return createDicomwebImageSource({ dicomwebUrl: orthanc.dicomwebUrl, username: '', password: '', timeoutMs: 30_000 });
}
