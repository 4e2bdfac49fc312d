/**
 * The slip is drawn only with the Noto Sans TTFs bundled in `assets/fonts` (full Vietnamese), so
 * it looks the same on every desk whatever the system has installed. They are registered under a
 * family name no system font uses, and registration failing is an error, never a silent fallback.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';

export const SLIP_FONT_FAMILY = 'Radiology Desk Slip Sans';

/**
 * `assets/fonts` of the source tree, for development and tests. A packaged app passes its own
 * folder (outside the asar archive: the font loader reads real files).
 */
export const BUNDLED_FONTS_DIR = fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));

const FILES = ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf'] as const;
const registered = new Set<string>();

/** Registers Regular (400) and Bold (700) from `fontsDir`; repeated calls are no-ops. */
export function registerSlipFonts(fontsDir: string): void {
  for (const file of FILES) {
    const full = path.resolve(fontsDir, file);
    if (registered.has(full)) continue;
    if (!existsSync(full)) throw new Error(`slip font missing: ${full}`);
    if (!GlobalFonts.registerFromPath(full, SLIP_FONT_FAMILY)) throw new Error(`slip font not loadable: ${full}`);
    registered.add(full);
  }
}

/** A CSS font shorthand for the slip family. */
export function slipFont(sizePx: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${sizePx}px "${SLIP_FONT_FAMILY}"`;
}
