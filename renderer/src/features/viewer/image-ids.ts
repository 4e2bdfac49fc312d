/**
 * Where the viewer reads an image's bytes: the Electron custom protocol (`desk-image://instances/{id}`)
 * or, in browser mode, the bridge's authenticated route (`/files/instances/{id}`, the run's token
 * travelling in the HttpOnly cookie). Either way the URL holds the desk's opaque instance id only —
 * never a UID or a name — and the bytes never cross IPC.
 *
 * Cornerstone's DICOM loader reads a Part-10 file from a URL with the `wadouri:` scheme prefix
 * (the WADO-URI loader, PS3.18 §9, which also serves plain file URLs).
 */
import type { DeskClient } from '../../lib/desk-client';

export function instanceUrl(instanceId: number, transport: DeskClient['transport'], origin = window.location.origin): string {
  return transport === 'ipc' ? `desk-image://instances/${instanceId}` : `${origin}/files/instances/${instanceId}`;
}

export function imageIdFor(instanceId: number, transport: DeskClient['transport']): string {
  return `wadouri:${instanceUrl(instanceId, transport)}`;
}
