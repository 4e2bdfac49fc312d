/**
 * Image-plane geometry for projection radiographs, which Cornerstone's WADO-URI metadata reads
 * only from CT/MR-style attributes:
 *
 * - Spacing. A DX/CR image usually carries Imager Pixel Spacing (0018,1164) — the spacing at the
 *   detector — and often no Pixel Spacing (0028,0030). Without this, lengths would read in pixels.
 *   Where an Estimated Radiographic Magnification Factor (0018,1114) is given, the spacing at the
 *   patient is Imager Pixel Spacing ÷ ERMF (PS3.3 §C.8.11.7, §10.7.1.3); otherwise the detector
 *   spacing is used, as a film-based measurement would.
 * - Frame of reference. The DX IOD has no Frame of Reference module, and Cornerstone's annotation
 *   store files measurements by FrameOfReferenceUID: without one the length tool draws nothing. A
 *   projection image shares no patient coordinate system with any other image, so each image gets
 *   its own (a local, never-exported identifier).
 */
import { metaData } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';

/** Above the WADO-URI provider's priority, so this answer is the one Cornerstone uses. */
const PRIORITY = 1000;

interface PlaneModule {
  frameOfReferenceUID?: string;
  pixelSpacing?: number[] | null;
  rowPixelSpacing?: number | null;
  columnPixelSpacing?: number | null;
  usingDefaultValues?: boolean;
  [key: string]: unknown;
}

export function addProjectionGeometry(): void {
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'imagePlaneModule' || typeof imageId !== 'string' || !imageId.startsWith('wadouri:')) return undefined;
    const base = wadouri.metaData.metaDataProvider(type, imageId) as PlaneModule | undefined;
    if (!base) return undefined;
    const out: PlaneModule = { ...base, frameOfReferenceUID: base.frameOfReferenceUID || `desk-projection:${imageId}` };
    if (!base.pixelSpacing) {
      const dataSet = wadouri.dataSetCacheManager.get(wadouri.parseImageId(imageId).url);
      const imager = dataSet ? wadouri.metaData.getNumberValues(dataSet, 'x00181164', 2) : undefined;
      if (imager && imager[0]! > 0 && imager[1]! > 0) {
        const ermf = dataSet?.floatString('x00181114');
        const k = ermf && ermf > 0 ? ermf : 1;
        const spacing = [imager[0]! / k, imager[1]! / k];
        Object.assign(out, { pixelSpacing: spacing, rowPixelSpacing: spacing[0], columnPixelSpacing: spacing[1], usingDefaultValues: false });
      }
    }
    return out;
  }, PRIORITY);
}
