/**
 * Builds the Electron main process, the preload and the renderer (`npm run build`). The preload
 * is one CommonJS file because sandboxed preloads cannot load ES modules.
 */
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import rendererConfig from './renderer/vite.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Worker threads are separate entries: the services take their built URLs from main.
        input: {
          index: resolve('electron/main/index.ts'),
          'header-worker': resolve('electron/services/ingest/header-worker.ts'),
          'thumbnail-worker': resolve('electron/services/images/thumbnail-worker.ts'),
        },
        output: { entryFileNames: '[name].js' },
        external: ['better-sqlite3', '@napi-rs/canvas'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else into it.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: { input: resolve('electron/preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    ...rendererConfig,
    root: resolve('renderer'),
    // electron-vite leaves the renderer unminified by default; the packaged app ships what the
    // browser-mode build ships (the entry chunk is ~1/3 the size minified).
    build: { ...rendererConfig.build, minify: true, outDir: resolve('out/renderer'), rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
