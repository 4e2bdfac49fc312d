/**
 * Tests that need a real part (Orthanc, PostgreSQL, Chromium, the Electron binary) ask here.
 * Missing part: the test skips with a loud reason — except in CI (REQUIRE_REAL_PARTS=1), where a
 * missing part is a failure, so a green run always means the real parts ran.
 */
import { existsSync } from 'node:fs';

export function requirePart(name: string, available: boolean, install: string): boolean {
  if (available) return true;
  const reason = `${name} is not installed (${install})`;
  if (process.env.REQUIRE_REAL_PARTS === '1') throw new Error(`REQUIRE_REAL_PARTS=1 but ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return false;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return requirePart('Chromium', existsSync(CHROMIUM_PATH), 'apt-get install chromium');
}
