/**
 * "Tải DICOM cho bác sĩ": the slip's studies as one ZIP of the DICOM files exactly as the PACS
 * stores them, streamed from the WADO-RS multipart response into a stored ZIP — no temp files,
 * memory bounded by a chunk. Entry names are neutral (`DICOM/S1/I0001.dcm`): no patient name or
 * UID ends up in a file name on someone's phone.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Clock } from '../../../electron/services/clock';
import { readMultipart } from '../pacs/multipart-stream';
import type { PacsImageSource, StudyStream } from '../pacs/pacs-images';
import { createZipStoreWriter } from '../zip/zip-store-writer';

async function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.destroyed) throw new Error('client gone');
  if (!res.write(chunk)) {
    await Promise.race([once(res, 'drain'), once(res, 'close')]);
    if (res.destroyed) throw new Error('client gone');
  }
}

/**
 * Opens the first study before answering, so a PACS that is down gets a proper error page; a
 * failure after the first byte can only abort the download (the ZIP then fails to open, visibly).
 * Returns the number of files written.
 */
export async function streamStudiesZip(
  res: ServerResponse,
  pacs: PacsImageSource,
  studyUIDs: readonly string[],
  clock: Clock,
  headers: Record<string, string>,
): Promise<number> {
  const zip = createZipStoreWriter();
  const when = new Date(clock.now());
  let files = 0;
  let first: StudyStream | null = await pacs.retrieveStudy(studyUIDs[0] as string);
  res.writeHead(200, { ...headers, 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="xquang-dicom.zip"' });
  for (const [i, uid] of studyUIDs.entries()) {
    const stream = first ?? (await pacs.retrieveStudy(uid));
    first = null;
    let inStudy = 0;
    for await (const ev of readMultipart(stream.body, stream.boundary)) {
      if (ev.type === 'part') {
        inStudy++;
        files++;
        await write(res, zip.begin(`DICOM/S${i + 1}/I${String(inStudy).padStart(4, '0')}.dcm`, when));
      } else if (ev.type === 'data') {
        await write(res, zip.data(ev.chunk));
      } else {
        await write(res, zip.end());
      }
    }
  }
  await write(res, zip.finish());
  res.end();
  return files;
}
