/**
 * Cornerstone3D, started once per page and only when first needed (this module is its own
 * lazily-loaded chunk: the inbox paints before any of it is fetched).
 *
 * Choices, each measured on the desk's hardware class (../../../../shared/FIELD-NOTES.md):
 * - CPU rendering for the 2-D stack viewport: with software WebGL (no GPU, `--disable-gpu`) it was
 *   faster, and on a real GPU a single DX image does not need one. It also lets tests read pixels
 *   back from a 2-D canvas.
 * - The DICOM image loader decodes every transfer syntax in its web workers; the codecs' WASM is
 *   fetched by the worker the first time that syntax is seen, so the UI thread never decodes and
 *   the page never downloads a codec it does not use.
 */
import { cache, imageLoader, init as initCore, type Types } from '@cornerstonejs/core';
import { init as initImageLoader } from '@cornerstonejs/dicom-image-loader';
import { addTool, init as initTools, LengthTool, PanTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { addProjectionGeometry } from './projection-geometry';

let started = false;

/** 2 workers on ≥ 4 cores, else 1: decoding must not starve the UI thread of a core. */
function decoderWorkers(): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(2, Math.floor(cores / 2)));
}

export function startCornerstone(): void {
  if (started) return;
  started = true;
  initCore({ rendering: { useCPURendering: true } } as Parameters<typeof initCore>[0]);
  // The WADO-URI loader with its dicomParser reader (the "legacy" metadata provider): it reads
  // deflated files (PS3.5 §A.5) — the newer dcmjs-based reader of 5.x does not — and parses
  // the header without a second pass over the pixel data on this thread.
  initImageLoader({ maxWebWorkers: decoderWorkers(), useLegacyMetadataProvider: true });
  addProjectionGeometry();
  initTools();
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, LengthTool]) addTool(tool);
  // Room for about thirty 15 MB images; the least recently used leave first.
  cache.setMaxCacheSize(512 * 1024 * 1024);
}

const pending = new Map<string, Promise<Types.IImage>>();

/**
 * Starts fetching and decoding an image into Cornerstone's cache, so that when a viewport asks
 * for it, it is already there (or on its way). Calling again for the same image is free.
 */
export function prefetchImage(imageId: string): Promise<Types.IImage> {
  startCornerstone();
  let p = pending.get(imageId);
  if (!p) {
    p = imageLoader.loadAndCacheImage(imageId, { priority: 0, requestType: 'interaction' });
    pending.set(imageId, p);
    // Keep the promise only while loading: afterwards the cache (which may evict it) is the truth.
    const forget = () => pending.delete(imageId);
    p.then(forget, forget);
  }
  return p;
}

export { createViewerEngine, type ViewerEngine, type ViewerSnapshot } from './viewer-engine';
