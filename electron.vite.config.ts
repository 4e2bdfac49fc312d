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
      rollupOptions: { input: resolve('electron/main/index.ts'), external: ['better-sqlite3', '@napi-rs/canvas'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: resolve('electron/preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    ...rendererConfig,
    root: resolve('renderer'),
    build: { ...rendererConfig.build, outDir: resolve('out/renderer'), rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
