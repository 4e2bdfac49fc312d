/**
 * Browser mode: the desk core plus the loopback bridge, without Electron. Used by `npm run web`,
 * by `npm start` where the Electron binary is missing, and by the browser tests.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compose, type Desk, type DeskConfig } from '../compose';
import { startBridge, type Bridge } from './bridge-server';

export interface BrowserMode {
  desk: Desk;
  bridge: Bridge;
  /** Opening this signs a browser in. */
  signInUrl: string;
  close(): Promise<void>;
}

export async function startBrowserMode(config: Omit<DeskConfig, 'mode'> & { port?: number; staticDir?: string }): Promise<BrowserMode> {
  const desk = await compose({ ...config, mode: 'browser' });
  const bridge = await startBridge({ desk, port: config.port, staticDir: config.staticDir, routes: [desk.images.route] });
  // The automation surface: tools find the URL and this run's token here. Owner-only.
  const file = join(desk.dataDir, 'bridge.json');
  writeFileSync(file, JSON.stringify({ url: bridge.url, token: bridge.token }) + '\n', { mode: 0o600 });
  return {
    desk,
    bridge,
    signInUrl: `${bridge.url}/?token=${bridge.token}`,
    async close() {
      await bridge.close();
      await desk.close();
      rmSync(file, { force: true });
    },
  };
}
