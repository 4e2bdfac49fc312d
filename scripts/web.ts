/**
 * `npm run web -- [--data <dir>] [--port <n>]`: the desk in browser mode on 127.0.0.1.
 * Builds the renderer first when its sources are newer than the build.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { startBrowserMode } from '../electron/bridge/browser-mode';
import { defaultDataDir } from '../electron/services/paths';
import { ensureRendererBuilt, RENDERER_DIST } from './renderer-build';

const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' } } });
const port = values.port ? Number(values.port) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('--port: 0–65535');
  process.exit(2);
}

ensureRendererBuilt();
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const mode = await startBrowserMode({ dataDir: values.data ?? defaultDataDir(), port, staticDir: RENDERER_DIST, version });

console.log(`Radiology Desk (browser mode) — dữ liệu / data: ${mode.desk.dataDir}`);
console.log(`Mở / Open: ${mode.signInUrl}`);

let closing = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    mode.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
