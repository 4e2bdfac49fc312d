/**
 * The one inline style the renderer needs, allowed by its hash and nothing wider.
 *
 * Cornerstone3D tools draw a measurement's label (the length tool's "12.3 mm") as an SVG `<text>`
 * and give it a style attribute with `setAttribute('style', …)` — user-select and pointer-events
 * off, and a drop shadow that keeps the label readable over bright bone
 * (@cornerstonejs/tools 5.14 `drawingSvg/drawTextBox.js`, `_createTextElement`). The renderer's
 * `style-src 'self'` blocks that attribute: one console error per label, and the label loses its
 * shadow. The attribute's text depends only on the viewport's id, and the viewer has exactly two
 * viewports with fixed ids (renderer/src/features/viewer/viewer-engine.ts, VIEWPORT_IDS), so the
 * CSP allows exactly those two attribute values by hash (CSP Level 3 `style-src-attr` with
 * `'unsafe-hashes'`) instead of `'unsafe-inline'`: no other inline style — and no script, whose
 * directives are untouched — becomes possible.
 *
 * If a Cornerstone upgrade changes the string, labels are blocked again and the viewer e2e test
 * (test/e2e/inbox-viewer.e2e.test.ts, the length measurement) fails on the console error: update
 * `labelStyle` to the new text.
 */
import { createHash } from 'node:crypto';

/** Must match `VIEWPORT_IDS` in renderer/src/features/viewer/viewer-engine.ts. */
export const VIEWER_VIEWPORT_IDS = ['desk-viewport-a', 'desk-viewport-b'] as const;

/** drawTextBox.js: noSelectStyle + dropShadowStyle, verbatim (the double space included). */
export function labelStyle(viewportId: string): string {
  return `user-select: none; pointer-events: none; -webkit-tap-highlight-color:  rgba(255, 255, 255, 0);filter:url(#shadow-svg-layer-${viewportId});`;
}

/** CSP hash sources (`'sha256-<base64>'`) of the label styles of the viewer's viewports. */
export function labelStyleHashes(): string[] {
  return VIEWER_VIEWPORT_IDS.map((id) => `'sha256-${createHash('sha256').update(labelStyle(id), 'utf8').digest('base64')}'`);
}
