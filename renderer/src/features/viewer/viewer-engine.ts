/**
 * Cornerstone3D stack viewports on one element, with the technician's tools, behind a small
 * imperative API the React panel drives. It owns its rendering engine and tool group and frees
 * both in `destroy()`, so opening and closing the viewer all day leaks no canvas or listener.
 *
 * Two viewports share the element, one shown and one hidden ("slots"). When the inbox expects a
 * study to be opened (the pointer rests on it), `prepare()` draws its first image into the hidden
 * slot; the click then only swaps which slot is visible. Otherwise `show()` loads into the visible
 * slot as usual. Either way the decoded image comes from Cornerstone's cache, filled by the
 * inbox's prefetch.
 *
 *   prepare(A) ──▶ hidden slot renders A ──▶ ready(A)
 *   show(A)    ──▶ ready(A)? swap slots : load A into the visible slot
 *
 * Rendered state for tests and for the UI: the element carries
 *   data-render-state = "loading" | "rendered" | "error"
 *   data-render-count = how many frames of the visible slot were drawn (a test waits for it to move)
 *   data-prepared-count = how many first images were drawn ahead in the hidden slot
 * set from Cornerstone's IMAGE_RENDERED event — so a test waits for a state, never sleeps. The
 * visible slot is the child with data-active="true".
 */
import { Enums, eventTarget, RenderingEngine, type StackViewport, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, LengthTool, PanTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { pixelStats, presetVoi, rangeToVoi, voiToRange, type ImageVoiFacts, type Voi, type VoiPresetId } from './voi-presets';

export type ViewerTool = 'windowLevel' | 'pan' | 'zoom' | 'length';
export type RenderState = 'idle' | 'loading' | 'rendered' | 'error';

export interface ViewerSnapshot {
  readonly renderState: RenderState;
  /** The image on screen (null while none is). */
  readonly imageId: string | null;
  readonly imageIndex: number;
  readonly imageCount: number;
  readonly voi: Voi | null;
  /** Screen (device) pixels per image pixel × 100: 100 means 1:1. */
  readonly zoomPercent: number | null;
  readonly rotation: number;
  readonly flipH: boolean;
  readonly flipV: boolean;
  readonly invert: boolean;
  readonly tool: ViewerTool;
}

export interface ViewerEngine {
  show(imageIds: readonly string[], index?: number): Promise<void>;
  /** Draws the first image of a stack the user is about to open, out of sight. */
  prepare(imageIds: readonly string[]): void;
  setImageIndex(index: number): Promise<void>;
  applyPreset(id: VoiPresetId): void;
  rotate90(): void;
  flipHorizontal(): void;
  flipVertical(): void;
  toggleInvert(): void;
  fit(): void;
  oneToOne(): void;
  reset(): void;
  setTool(tool: ViewerTool): void;
  resize(): void;
  snapshot(): ViewerSnapshot;
  subscribe(fn: (s: ViewerSnapshot) => void): () => void;
  destroy(): void;
}

const TOOL_NAMES: Record<ViewerTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  length: LengthTool.toolName,
};

interface Slot {
  readonly element: HTMLDivElement;
  readonly viewport: StackViewport;
  /** The stack it holds (ids joined), and whether its first image is drawn untouched. */
  key: string;
  ready: boolean;
  stack: string[];
  /** The image its latest load asked for: a frame of anything else is not the one wanted. */
  expected: string | null;
  generation: number;
  /** While a prepare is drawing: settles true once drawn, false if it failed or was replaced. */
  whenReady: Promise<boolean> | null;
  settle: ((ok: boolean) => void) | null;
}

/**
 * The two slots' viewport ids, fixed rather than numbered per engine: Cornerstone writes the id into
 * each measurement label's style attribute, and the renderer's CSP allows exactly those attribute
 * values by hash (electron/bridge/annotation-label-styles.ts, VIEWER_VIEWPORT_IDS: keep in step).
 * One viewer exists per page, and an engine frees its ids in `destroy()` before the next is made.
 */
export const VIEWPORT_IDS = { a: 'desk-viewport-a', b: 'desk-viewport-b' } as const;

let serial = 0;
const PREPARE_WAIT_MS = 1500;
/** Past Cornerstone's 100 ms throttle on measurement statistics. */
const LABEL_SETTLE_MS = 150;

export function createViewerEngine(element: HTMLDivElement): ViewerEngine {
  const n = ++serial;
  const engineId = `desk-engine-${n}`;
  const toolGroupId = `desk-tools-${n}`;
  const engine = new RenderingEngine(engineId);
  const group = ToolGroupManager.createToolGroup(toolGroupId)!;
  for (const name of Object.values(TOOL_NAMES)) group.addTool(name);

  function makeSlot(name: keyof typeof VIEWPORT_IDS): Slot {
    const el = document.createElement('div');
    el.className = 'viewer-slot';
    element.appendChild(el);
    const viewportId = VIEWPORT_IDS[name];
    engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element: el, defaultOptions: { background: [0, 0, 0] as Types.Point3 } });
    group.addViewport(viewportId, engineId);
    return {
      element: el,
      viewport: engine.getViewport(viewportId) as StackViewport,
      key: '',
      ready: false,
      stack: [],
      expected: null,
      generation: 0,
      whenReady: null,
      settle: null,
    };
  }
  const slots = [makeSlot('a'), makeSlot('b')] as const;
  let active: Slot = slots[0];
  const spare = () => (active === slots[0] ? slots[1] : slots[0]);
  const viewport = () => active.viewport;

  const { MouseBindings } = ToolEnums;
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }] });
  group.setToolPassive(LengthTool.toolName);
  // The right button zooms: the browser's context menu would only get in the way.
  const noMenu = (e: Event) => e.preventDefault();
  element.addEventListener('contextmenu', noMenu);

  let tool: ViewerTool = 'windowLevel';
  let renderState: RenderState = 'idle';
  let renderCount = 0;
  let imageCount = 0;
  let shows = 0;
  let prepared = 0;
  let destroyed = false;
  const listeners = new Set<(s: ViewerSnapshot) => void>();
  const facts = new Map<string, ImageVoiFacts>();
  applyTool('windowLevel');
  markActive();
  setRenderState('idle');

  function markActive(): void {
    for (const s of slots) s.element.dataset.active = String(s === active);
  }

  function setRenderState(s: RenderState): void {
    renderState = s;
    element.dataset.renderState = s;
  }

  function applyTool(next: ViewerTool): void {
    const current = TOOL_NAMES[tool];
    // Pan and zoom keep their own buttons when another tool takes the left one.
    if (tool === 'pan') group.setToolActive(current, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    else if (tool === 'zoom') group.setToolActive(current, { bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }] });
    else group.setToolPassive(current);
    tool = next;
    const extra = next === 'pan' ? [{ mouseButton: MouseBindings.Auxiliary }] : next === 'zoom' ? [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }] : [];
    group.setToolActive(TOOL_NAMES[next], { bindings: [{ mouseButton: MouseBindings.Primary }, ...extra] });
  }

  /**
   * The camera's parallel scale is half the viewport height in world units (mm); the image's pixel
   * spacing turns that into image pixels. No plane metadata needed (a DX has no patient position).
   */
  function zoomPercent(): number | null {
    const vp = viewport();
    const image = vp.getCornerstoneImage();
    const { parallelScale } = vp.getCamera();
    if (!image || renderState !== 'rendered' || !parallelScale) return null;
    const sideways = normalizeDegrees(vp.getRotation()) % 180 !== 0;
    const spacing = (sideways ? image.columnPixelSpacing : image.rowPixelSpacing) || 1;
    const cssPerPixel = (spacing * element.clientHeight) / (2 * parallelScale);
    return cssPerPixel * (window.devicePixelRatio || 1) * 100;
  }

  function snapshot(): ViewerSnapshot {
    const vp = viewport();
    const rendered = renderState === 'rendered';
    const props = rendered ? vp.getProperties() : {};
    const camera = rendered ? vp.getCamera() : {};
    return {
      renderState,
      imageId: rendered ? (vp.getCurrentImageId() ?? null) : null,
      imageIndex: vp.getCurrentImageIdIndex?.() ?? 0,
      imageCount,
      voi: props.voiRange ? rangeToVoi(props.voiRange) : null,
      zoomPercent: zoomPercent(),
      rotation: rendered ? normalizeDegrees(vp.getRotation()) : 0,
      flipH: camera.flipHorizontal ?? false,
      flipV: camera.flipVertical ?? false,
      invert: props.invert ?? false,
      tool,
    };
  }

  function notify(): void {
    if (destroyed) return;
    const s = snapshot();
    for (const fn of listeners) fn(s);
  }

  function countFrame(): void {
    renderCount++;
    element.dataset.renderCount = String(renderCount);
    setRenderState('rendered');
    notify();
  }

  const unlisten: Array<() => void> = [];
  for (const slot of slots) {
    const onRendered = () => {
      // A frame of another image (a resize during a load) is not the image asked for.
      if (slot.expected !== null && slot.viewport.getCurrentImageId() !== slot.expected) return;
      if (slot === active) countFrame();
      else if (slot.key) {
        slot.ready = true;
        prepared++;
        element.dataset.preparedCount = String(prepared);
        settlePrepare(slot, true);
      }
    };
    const onChanged = () => slot === active && notify();
    slot.element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    slot.element.addEventListener(Enums.Events.VOI_MODIFIED, onChanged);
    slot.element.addEventListener(Enums.Events.CAMERA_MODIFIED, onChanged);
    unlisten.push(() => {
      slot.element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      slot.element.removeEventListener(Enums.Events.VOI_MODIFIED, onChanged);
      slot.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, onChanged);
    });
  }

  // A measurement's label is recomputed on a 100 ms throttle and only shown at the next draw:
  // without one more draw after the drag ends, it can read the length of the last-but-one step.
  let relabel: ReturnType<typeof setTimeout> | null = null;
  const onMeasured = () => {
    if (relabel) clearTimeout(relabel);
    relabel = setTimeout(() => !destroyed && renderState === 'rendered' && viewport().render(), LABEL_SETTLE_MS);
  };
  eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, onMeasured);
  unlisten.push(() => {
    eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, onMeasured);
    if (relabel) clearTimeout(relabel);
  });

  function factsFor(): ImageVoiFacts | null {
    const image = viewport().getCornerstoneImage();
    if (!image) return null;
    const known = facts.get(image.imageId);
    if (known) return known;
    const wc = first(image.windowCenter);
    const ww = first(image.windowWidth);
    const f: ImageVoiFacts = {
      fileWindow: wc !== undefined && ww !== undefined && ww > 0 ? { center: wc, width: ww } : null,
      stats: pixelStats(image.getPixelData() as ArrayLike<number>),
      monochrome1: image.photometricInterpretation === 'MONOCHROME1',
    };
    facts.set(image.imageId, f);
    return f;
  }

  function settlePrepare(slot: Slot, ok: boolean): void {
    slot.settle?.(ok);
    slot.settle = null;
    slot.whenReady = null;
  }

  /** Makes the prepared slot the visible one. */
  function swapTo(slot: Slot): void {
    settlePrepare(active, false);
    active.key = '';
    active.ready = false;
    active = slot;
    markActive();
    countFrame();
  }

  /** The visible slot's image changes in place: it no longer holds an untouched first image. */
  function touched(): void {
    active.ready = false;
  }

  function render(): void {
    touched();
    if (renderState === 'rendered') viewport().render();
  }

  /**
   * Loads into a slot. Each load gets a generation; only the latest of that slot may report, so a
   * slow image the user has already moved away from never reports over the one on screen.
   */
  async function load(slot: Slot, imageId: string, run: () => Promise<unknown>): Promise<void> {
    const gen = ++slot.generation;
    slot.expected = imageId;
    if (slot === active) {
      setRenderState('loading');
      notify();
    }
    try {
      await run();
      if (destroyed || gen !== slot.generation) return;
      slot.viewport.render();
    } catch (e) {
      if (destroyed || gen !== slot.generation) return;
      if (slot !== active) {
        slot.key = '';
        settlePrepare(slot, false);
        return;
      }
      setRenderState('error');
      notify();
      throw e;
    }
  }

  return {
    async show(imageIds, index = 0) {
      const key = imageIds.join('|');
      const mine = ++shows;
      imageCount = imageIds.length;
      const other = spare();
      if (index === 0 && other.key === key) {
        // Prepared out of sight (or being drawn there): showing it is a swap, no second load or draw.
        if (other.ready) return swapTo(other);
        if (other.whenReady) {
          setRenderState('loading');
          notify();
          // Never wait on a prepare for long: past this, loading it here is no slower.
          const ok = await Promise.race([other.whenReady, new Promise<boolean>((r) => setTimeout(() => r(false), PREPARE_WAIT_MS))]);
          if (destroyed || mine !== shows) return;
          if (ok && other.key === key && other.ready) return swapTo(other);
        }
      }
      active.key = key;
      active.ready = false;
      active.stack = [...imageIds];
      await load(active, active.stack[index]!, () => active.viewport.setStack([...active.stack], index));
    },
    prepare(imageIds) {
      const key = imageIds.join('|');
      const other = spare();
      if (destroyed || imageIds.length === 0 || active.key === key || other.key === key) return;
      settlePrepare(other, false);
      other.key = key;
      other.ready = false;
      other.stack = [...imageIds];
      other.whenReady = new Promise<boolean>((resolve) => (other.settle = resolve));
      void load(other, other.stack[0]!, () => other.viewport.setStack([...other.stack], 0));
    },
    async setImageIndex(index) {
      if (index < 0 || index >= imageCount || index === viewport().getCurrentImageIdIndex()) return;
      touched();
      await load(active, active.stack[index]!, () => active.viewport.setImageIdIndex(index));
    },
    applyPreset(id) {
      const f = factsFor();
      if (!f) return;
      viewport().setProperties({ voiRange: voiToRange(presetVoi(id, f)) });
      render();
    },
    rotate90() {
      viewport().setViewPresentation({ rotation: normalizeDegrees(viewport().getRotation() + 90) });
      render();
    },
    flipHorizontal() {
      viewport().setCamera({ flipHorizontal: !viewport().getCamera().flipHorizontal });
      render();
    },
    flipVertical() {
      viewport().setCamera({ flipVertical: !viewport().getCamera().flipVertical });
      render();
    },
    toggleInvert() {
      viewport().setProperties({ invert: !viewport().getProperties().invert });
      render();
    },
    fit() {
      viewport().resetCamera({ resetPan: true, resetZoom: true });
      render();
    },
    oneToOne() {
      const now = zoomPercent();
      if (!now) return;
      viewport().setZoom(viewport().getZoom() * (100 / now));
      render();
    },
    reset() {
      const vp = viewport();
      vp.setViewPresentation({ rotation: 0, flipHorizontal: false, flipVertical: false });
      vp.resetCamera({ resetPan: true, resetZoom: true });
      vp.resetProperties();
      render();
    },
    setTool(next) {
      if (next === tool) return;
      applyTool(next);
      notify();
    },
    resize() {
      if (destroyed) return;
      engine.resize(true, true);
    },
    snapshot,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      listeners.clear();
      for (const off of unlisten) off();
      element.removeEventListener('contextmenu', noMenu);
      ToolGroupManager.destroyToolGroup(toolGroupId);
      engine.destroy();
      for (const s of slots) s.element.remove();
      delete element.dataset.renderState;
      delete element.dataset.renderCount;
      delete element.dataset.preparedCount;
    },
  };
}

function first(v: number | number[] | undefined): number | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function normalizeDegrees(d: number): number {
  return ((Math.round(d) % 360) + 360) % 360;
}
