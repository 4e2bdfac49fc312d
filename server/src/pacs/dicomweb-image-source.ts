/**
 * `PacsImageSource` over DICOMweb (PS3.18), fetched by the server only — the PACS is never
 * exposed to phones:
 *  - QIDO-RS Search for Instances in a study (§10.6, `GET {s}/studies/{uid}/instances`), JSON
 *    (PS3.18 §F.2 DICOM JSON model);
 *  - WADO-RS Retrieve Rendered Instance (§10.4.1.1.3, `…/instances/{uid}/rendered`, Accept
 *    image/jpeg) with the `viewport` query parameter (§8.3.5.1.3) to size it for a phone;
 *  - WADO-RS Retrieve Study (§10.4.1.1.1) as `multipart/related; type="application/dicom"` with
 *    `transfer-syntax=*` (the stored bytes, no transcoding). A PACS that refuses that parameter
 *    (406/400) is asked again without it — Orthanc and most others then send what they store.
 */
import type { PacsConfig } from '../config';
import { isDicomUid } from '../../../shared/records';
import { boundaryOf } from './multipart-stream';
import { PacsError, type PacsImageSource, type StudyImage } from './pacs-images';

type Fetch = typeof fetch;

/** Storage classes that carry no pixels to show: SR (…88.x), presentation states (…11.x), KO. */
const NON_IMAGE_SOP_PREFIXES = ['1.2.840.10008.5.1.4.1.1.88.', '1.2.840.10008.5.1.4.1.1.11.', '1.2.840.10008.5.1.4.1.1.66', '1.2.840.10008.5.1.4.1.1.104.'];

type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

function first(ds: DicomJson, tag: string): unknown {
  return ds[tag]?.Value?.[0];
}
function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

export function createDicomwebImageSource(cfg: PacsConfig, fetchImpl: Fetch = fetch): PacsImageSource {
  const auth = cfg.username || cfg.password ? 'Basic ' + Buffer.from(`${cfg.username}:${cfg.password}`).toString('base64') : null;

  async function get(path: string, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (auth) headers.authorization = auth;
    try {
      return await fetchImpl(cfg.dicomwebUrl + path, { headers, signal: AbortSignal.timeout(cfg.timeoutMs) });
    } catch (e) {
      const name = (e as Error).name;
      throw new PacsError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
    }
  }

  const uid = (u: string): string => {
    if (!isDicomUid(u)) throw new PacsError('status', 400);
    return u;
  };

  return {
    async listImages(studyUID) {
      const res = await get(`/studies/${uid(studyUID)}/instances`, 'application/dicom+json');
      if (res.status === 404 || res.status === 204) {
        await res.body?.cancel();
        return [];
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new PacsError('status', res.status);
      }
      const text = await res.text();
      const list = text.trim() === '' ? [] : (JSON.parse(text) as DicomJson[]);
      const images: StudyImage[] = [];
      for (const ds of list) {
        const sop = String(first(ds, '00080016') ?? '');
        if (NON_IMAGE_SOP_PREFIXES.some((p) => sop.startsWith(p))) continue;
        const seriesUID = String(first(ds, '0020000E') ?? '');
        const instanceUID = String(first(ds, '00080018') ?? '');
        if (!isDicomUid(seriesUID) || !isDicomUid(instanceUID)) continue;
        images.push({ studyUID, seriesUID, instanceUID, seriesNumber: num(first(ds, '00200011')), instanceNumber: num(first(ds, '00200013')) });
      }
      return images.sort((a, b) => a.seriesNumber - b.seriesNumber || a.seriesUID.localeCompare(b.seriesUID) || a.instanceNumber - b.instanceNumber);
    },

    async rendered(img, viewport) {
      const q = viewport ? `?viewport=${viewport},${viewport}` : '';
      const res = await get(`/studies/${uid(img.studyUID)}/series/${uid(img.seriesUID)}/instances/${uid(img.instanceUID)}/rendered${q}`, 'image/jpeg');
      if (!res.ok) {
        await res.body?.cancel();
        throw new PacsError('status', res.status);
      }
      const contentType = res.headers.get('content-type') ?? '';
      if (!contentType.startsWith('image/jpeg')) {
        await res.body?.cancel();
        throw new PacsError('status', 415);
      }
      return { bytes: Buffer.from(await res.arrayBuffer()), contentType: 'image/jpeg' };
    },

    async retrieveStudy(studyUID) {
      const path = `/studies/${uid(studyUID)}`;
      let res = await get(path, 'multipart/related; type="application/dicom"; transfer-syntax=*');
      if (res.status === 406 || res.status === 400) {
        await res.body?.cancel();
        res = await get(path, 'multipart/related; type="application/dicom"');
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new PacsError('status', res.status);
      }
      const boundary = boundaryOf(res.headers.get('content-type'));
      if (!boundary) {
        await res.body.cancel();
        throw new PacsError('status', 502);
      }
      return { boundary, body: res.body as unknown as AsyncIterable<Uint8Array> };
    },
  };
}
