/**
 * Binds a ViewerEngine to a React-owned element: created when the element mounts (once the lazy
 * Cornerstone chunk is there), resized with the element, destroyed on unmount — rendering engine,
 * tool group and listeners with it.
 */
import { useEffect, useState, type RefObject } from 'react';
import type { ViewerEngine, ViewerSnapshot } from './viewer-engine';
import { loadViewerRuntime } from './load-runtime';

export interface ViewerEngineState {
  engine: ViewerEngine | null;
  snapshot: ViewerSnapshot | null;
  loadError: boolean;
}

export function useViewerEngine(element: RefObject<HTMLDivElement | null>): ViewerEngineState {
  const [engine, setEngine] = useState<ViewerEngine | null>(null);
  const [snapshot, setSnapshot] = useState<ViewerSnapshot | null>(null);
  const [loadError, setLoadError] = useState(false);

  useEffect(() => {
    let alive = true;
    let created: ViewerEngine | null = null;
    let unsubscribe = () => {};
    let observer: ResizeObserver | null = null;
    loadViewerRuntime().then(
      (rt) => {
        const el = element.current;
        if (!alive || !el) return;
        created = rt.createViewerEngine(el);
        unsubscribe = created.subscribe(setSnapshot);
        const e = created;
        observer = new ResizeObserver(() => e.resize());
        observer.observe(el);
        setEngine(created);
        setSnapshot(created.snapshot());
      },
      () => alive && setLoadError(true),
    );
    return () => {
      alive = false;
      observer?.disconnect();
      unsubscribe();
      created?.destroy();
      setEngine(null);
    };
  }, [element]);

  return { engine, snapshot, loadError };
}
