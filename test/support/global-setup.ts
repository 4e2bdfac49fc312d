/**
 * Runs once before the whole suite: builds the renderer (only when its sources changed) so every
 * browser test serves the same fresh build instead of building its own.
 */
import { ensureRendererBuilt } from '../../scripts/renderer-build';

export default function setup(): void {
  ensureRendererBuilt();
}
