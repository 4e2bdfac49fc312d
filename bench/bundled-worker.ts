/**
 * The ingest header worker as a production build ships it: one bundled JS file (esbuild, as
 * electron-vite would). Under tsx each worker would also load tsx and transpile the sources, which
 * roughly doubles its memory and costs CPU the desk would not spend. Null when esbuild cannot be
 * loaded: the caller falls back to tsx workers (and should say so).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function bundledHeaderWorker(outDir: string): Promise<URL | null> {
  try {
    const esbuild = (await import('esbuild')) as { build(o: object): Promise<unknown> };
    const outfile = path.join(outDir, 'header-worker.mjs');
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL('../electron/services/ingest/header-worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
    return pathToFileURL(outfile);
  } catch {
    return null;
  }
}
