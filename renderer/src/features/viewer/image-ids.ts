/**
 * Where the viewer reads an image's bytes: the Electron custom protocol (`desk-image://instances/{id}`)
 * or, in browser mode, the bridge's authenticated route (`/files/instances/{id}`, the run's token
 * travelling in the HttpOnly cookie). Either way the URL holds the desk's opaque instance id only —
 * never a UID or a name — and the bytes never cross IPC.
 *
 * The image's URL also carries its revision (`?v=`, electron/services/images/image-revision.ts):
 * attaching a study to a visit makes the desk serve a corrected copy under the same instance id,
 * and both the browser (the bytes are cached `immutable`) and Cornerstone3D (its cache is keyed by
 * imageId) would otherwise keep showing the image as received, under the wrong patient.
 *
 * Cornerstone's DICOM loader reads a Part-10 file from a URL with the `wadouri:` scheme prefix
 * (the WADO-URI loader, PS3.18 §9, which also serves plain file URLs).
 */
import type { ImageItem } from '../../../../shared/contract/review';
import type { DeskClient } from '../../lib/desk-client';

/** The instance's address without a revision (its thumbnail hangs below it: pixels never change). */
export function instanceUrl(instanceId: number, transport: DeskClient['transport'], origin = window.location.origin): string {
  return transport === 'ipc' ? `desk-image://instances/${instanceId}` : `${origin}/files/instances/${instanceId}`;
}

export function imageIdFor(image: Pick<ImageItem, 'instanceId' | 'revision'>, transport: DeskClient['transport']): string {
  return `wadouri:${instanceUrl(image.instanceId, transport)}?v=${encodeURIComponent(image.revision)}`;
}
