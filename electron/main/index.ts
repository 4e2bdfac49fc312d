/**
 * The Electron shell: app lifecycle, the window, IPC. All behaviour lives in compose() and the
 * services; this file only connects them to Electron.
 */
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compose, type Desk } from '../compose';
import { electronStoreStorage } from './electron-store-storage';
import { registerIpc } from './ipc';
import { createDeskWindow, rendererIndex } from './window';
import { declareImageScheme, registerImageProtocol } from './image-protocol';

let desk: Desk | null = null;

if (!app.requestSingleInstanceLock()) app.quit();
declareImageScheme();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.whenReady().then(async () => {
  const dataDir = app.getPath('userData');
  // Worker scripts are built beside this file as their own entries (electron.vite.config.ts).
  desk = await compose({
    dataDir,
    mode: 'electron',
    version: app.getVersion(),
    settingsStorage: electronStoreStorage(dataDir),
    workerUrls: { ingestHeader: new URL('./header-worker.js', import.meta.url), thumbnail: new URL('./thumbnail-worker.js', import.meta.url) },
    // Packaged: electron-builder's extraResources; unpackaged: the repository's assets.
    fontsDir: app.isPackaged ? join(process.resourcesPath, 'fonts') : join(app.getAppPath(), 'assets', 'fonts'),
  });
  registerImageProtocol(desk.images.fetch);
  const outDir = join(__dirname, '..');
  const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererIndex(outDir)).href;
  const win = createDeskWindow(appUrl, join(outDir, 'preload', 'index.cjs'));
  const unregister = registerIpc(desk, win, appUrl);
  win.on('closed', unregister);
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', (event) => {
  if (!desk) return;
  event.preventDefault();
  const closing = desk;
  desk = null;
  void closing.close().finally(() => app.quit());
});
