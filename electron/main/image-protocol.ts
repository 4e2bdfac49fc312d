/**
 * The viewer's image bytes inside Electron: `desk-image://instances/{id}`, a privileged custom
 * scheme, so pixels never cross IPC as base64 and the renderer's image loader fetches them like
 * any URL. The behaviour lives in the Electron-free services/images/image-fetch-handler.ts.
 *
 * The scheme must be declared privileged before the app is ready (Electron's rule for
 * `registerSchemesAsPrivileged`); the handler is registered once the desk is composed.
 */
import { protocol } from 'electron';
import type { Db } from '../services/store/database';
import type { Logger } from '../services/logger';
import { createImageFetchHandler, IMAGE_SCHEME } from '../services/images/image-fetch-handler';

/** Call at module load of the main process, before `app.whenReady()`. */
export function declareImageScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: IMAGE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

/** Call after compose(); returns the unregister function. */
export function registerImageProtocol(deps: { db: Db; dataDir: string; logger: Logger }): () => void {
  protocol.handle(IMAGE_SCHEME, createImageFetchHandler(deps));
  return () => protocol.unhandle(IMAGE_SCHEME);
}
