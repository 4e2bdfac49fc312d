/**
 * The viewer's image bytes inside Electron: `desk-image://instances/{id}`, a privileged custom
 * scheme, so pixels never cross IPC as base64 and the renderer's image loader fetches them like
 * any URL. The behaviour lives in the Electron-free services/images/image-fetch-handler.ts.
 *
 * The scheme must be declared privileged before the app is ready (Electron's rule for
 * `registerSchemesAsPrivileged`); the handler is registered once the desk is composed.
 */
import { protocol } from 'electron';
import { IMAGE_SCHEME } from '../services/images/image-fetch-handler';

/** Call at module load of the main process, before `app.whenReady()`. */
export function declareImageScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: IMAGE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

/** Call after compose() with the desk's image handler; returns the unregister function. */
export function registerImageProtocol(handler: (request: Request) => Promise<Response>): () => void {
  protocol.handle(IMAGE_SCHEME, handler);
  return () => protocol.unhandle(IMAGE_SCHEME);
}
