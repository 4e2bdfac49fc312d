/**
 * Routes live in the URL hash (`#/settings`): the page is one file for the bridge and for
 * Electron's app protocol alike, and a reload keeps the page. Never put patient identifiers in a
 * route — URLs end up in histories and logs.
 */
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** `#/inbox/abc` → `['inbox', 'abc']`. */
export function hashSegments(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // A stray % typed by hand: keep the text rather than break the page.
  }
}

/** The current hash, re-rendering on every change. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function routeHref(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}
