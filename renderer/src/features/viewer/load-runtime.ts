/**
 * The door to the lazily-loaded Cornerstone chunk. The inbox calls `warmViewer()` once it has
 * painted, so the chunk (and its decoder worker) is ready before the first click, and
 * `prefetchImage()` when a study is pointed at or selected, so the first image is fetched and
 * decoded before the viewer asks for it.
 */
type Runtime = typeof import('./cornerstone-runtime');

let runtime: Promise<Runtime> | null = null;

export function loadViewerRuntime(): Promise<Runtime> {
  runtime ??= import('./cornerstone-runtime').then((m) => {
    m.startCornerstone();
    return m;
  });
  return runtime;
}

/** Loads the viewer code when the page is idle; never competes with the first paint. */
export function warmViewer(): void {
  const start = () => void loadViewerRuntime().catch(() => (runtime = null));
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 1500 });
  else setTimeout(start, 200);
}

/**
 * Starts fetching + decoding an image into the viewer's cache. Failures are left for the viewer to
 * report when it really shows the image; a prefetch never shows an error of its own.
 */
export function prefetchImage(imageId: string): void {
  void loadViewerRuntime()
    .then((rt) => rt.prefetchImage(imageId))
    .catch(() => {});
}
