/**
 * Builds the renderer alone (`npm run build:renderer` → renderer/dist, served by the browser-mode
 * bridge) and is the base of the renderer part of `electron.vite.config.ts`, so both builds agree.
 *
 * `base: './'`: relative asset URLs work from the bridge's `/` and from Electron's app protocol.
 * The Cornerstone3D lines come from measured trouble (../shared/FIELD-NOTES.md): its decoders run
 * as ES-module workers; in dev, the dicom-image-loader and the codec packages (WASM fetched at run
 * time) must not be pre-bundled, while the CommonJS and ESM packages they import must be — without
 * this, image loading in `vite dev` hangs silently.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
  optimizeDeps: {
    include: [
      '@cornerstonejs/core',
      '@cornerstonejs/metadata',
      '@cornerstonejs/utils',
      '@cornerstonejs/tools',
      'pako',
      'comlink',
      // CommonJS, imported by the excluded loader: must be pre-bundled to load as ESM.
      'dicom-parser',
    ],
    exclude: [
      '@cornerstonejs/dicom-image-loader',
      '@cornerstonejs/codec-charls',
      '@cornerstonejs/codec-libjpeg-turbo-8bit',
      '@cornerstonejs/codec-libjxl',
      '@cornerstonejs/codec-openjpeg',
      '@cornerstonejs/codec-openjph',
    ],
  },
});
