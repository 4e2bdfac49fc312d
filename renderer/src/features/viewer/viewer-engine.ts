/**
 * One Cornerstone3D stack viewport on one element, with the technician's tools, behind a small
 * imperative API the React panel drives. It owns its rendering engine and tool group and frees
 * both in `destroy()`, so opening and closing the viewer all day leaks no canvas or listener.
 *
 * Rendered state for tests and for the UI: the element carries
 *   data-render-state = "loading" | "rendered" | "error"
 *   data-render-count = how many frames were drawn (a test waits for it to move after an action)
 * set from Cornerstone's IMAGE_RENDERED event — so a test waits for a state, never sleeps.
 */
import { Enums, RenderingEngine, type StackViewport, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, LengthTool, PanTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { pixelStats, presetVoi, rangeToVoi, voiToRange, type ImageVoiFacts, type Voi, type VoiPresetId } from './voi-presets';

export type ViewerTool = 'windowLevel' | 'pan' | 'zoom' | 'length';
export type RenderState = 'idle' | 'loading' | 'rendered' | 'error';

export interface ViewerSnapshot {
  readonly renderState: RenderState;
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

let serial = 0;

export function createViewerEngine(element: HTMLDivElement): ViewerEngine {
  const n = ++serial;
  const engineId = `desk-engine-${n}`;
  const viewportId = `desk-viewport-${n}`;
  const toolGroupId = `desk-tools-${n}`;
  const engine = new RenderingEngine(engineId);
  engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element, defaultOptions: { background: [0, 0, 0] as Types.Point3 } });
  const viewport = engine.getViewport(viewportId) as StackViewport;

  const group = ToolGroupManager.createToolGroup(toolGroupId)!;
  for (const name of Object.values(TOOL_NAMES)) group.addTool(name);
  group.addViewport(viewportId, engineId);
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
  let destroyed = false;
  let generation = 0;
  let expectedImageId: string | null = null;
  let stack: string[] = [];
  const listeners = new Set<(s: ViewerSnapshot) => void>();
  const facts = new Map<string, ImageVoiFacts>();
  applyTool('windowLevel');
  setRenderState('idle');

  function setRenderState(s: RenderState): void {
    renderState = s;
    element.dataset.renderState = s;
  }

  function applyTool(next: ViewerTool): void {
    const primary = { bindings: [{ mouseButton: MouseBindings.Primary }] };
    const current = TOOL_NAMES[tool];
    // Pan and zoom keep their own buttons when another tool takes the left one.
    if (tool === 'pan') group.setToolActive(current, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
    else if (tool === 'zoom') group.setToolActive(current, { bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }] });
    else group.setToolPassive(current);
    tool = next;
    const extra = next === 'pan' ? [{ mouseButton: MouseBindings.Auxiliary }] : next === 'zoom' ? [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }] : [];
    group.setToolActive(TOOL_NAMES[next], { bindings: [...primary.bindings, ...extra] });
  }

  /**
   * The camera's parallel scale is half the viewport height in world units (mm); the image's pixel
   * spacing turns that into image pixels. No plane metadata needed (a DX has no patient position).
   */
  function zoomPercent(): number | null {
    const image = viewport.getCornerstoneImage();
    const { parallelScale } = viewport.getCamera();
    if (!image || renderState !== 'rendered' || !parallelScale) return null;
    const sideways = normalizeDegrees(viewport.getRotation()) % 180 !== 0;
    const spacing = (sideways ? image.columnPixelSpacing : image.rowPixelSpacing) || 1;
    const cssPerPixel = (spacing * element.clientHeight) / (2 * parallelScale);
    return cssPerPixel * (window.devicePixelRatio || 1) * 100;
  }

  function snapshot(): ViewerSnapshot {
    const props = renderState === 'rendered' ? viewport.getProperties() : {};
    const camera = renderState === 'rendered' ? viewport.getCamera() : {};
    return {
      renderState,
      imageIndex: viewport.getCurrentImageIdIndex?.() ?? 0,
      imageCount,
      voi: props.voiRange ? rangeToVoi(props.voiRange) : null,
      zoomPercent: zoomPercent(),
      rotation: renderState === 'rendered' ? normalizeDegrees(viewport.getRotation()) : 0,
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

  const onRendered = () => {
    // A frame of the previous image (a resize during a load) is not the image asked for.
    if (expectedImageId !== null && viewport.getCurrentImageId() !== expectedImageId) return;
    renderCount++;
    element.dataset.renderCount = String(renderCount);
    setRenderState('rendered');
    notify();
  };
  const onChanged = () => notify();
  element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
  element.addEventListener(Enums.Events.VOI_MODIFIED, onChanged);
  element.addEventListener(Enums.Events.CAMERA_MODIFIED, onChanged);

  function factsFor(): ImageVoiFacts | null {
    const image = viewport.getCornerstoneImage();
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

  function render(): void {
    if (renderState === 'rendered') viewport.render();
  }

  /**
   * Each load gets a generation; only the latest may set the state, so a slow image the user has
   * already moved away from never reports over the one on screen.
   */
  async function loadIndex(imageId: string, load: () => Promise<unknown>): Promise<void> {
    const gen = ++generation;
    expectedImageId = imageId;
    setRenderState('loading');
    notify();
    try {
      await load();
      if (destroyed || gen !== generation) return;
      viewport.render();
    } catch (e) {
      if (destroyed || gen !== generation) return;
      setRenderState('error');
      notify();
      throw e;
    }
  }

  return {
    async show(imageIds, index = 0) {
      imageCount = imageIds.length;
      stack = [...imageIds];
      await loadIndex(stack[index]!, () => viewport.setStack([...stack], index));
    },
    async setImageIndex(index) {
      if (index < 0 || index >= imageCount || index === viewport.getCurrentImageIdIndex()) return;
      await loadIndex(stack[index]!, () => viewport.setImageIdIndex(index));
    },
    applyPreset(id) {
      const f = factsFor();
      if (!f) return;
      viewport.setProperties({ voiRange: voiToRange(presetVoi(id, f)) });
      render();
    },
    rotate90() {
      viewport.setViewPresentation({ rotation: normalizeDegrees(viewport.getRotation() + 90) });
      render();
    },
    flipHorizontal() {
      viewport.setCamera({ flipHorizontal: !viewport.getCamera().flipHorizontal });
      render();
    },
    flipVertical() {
      viewport.setCamera({ flipVertical: !viewport.getCamera().flipVertical });
      render();
    },
    toggleInvert() {
      viewport.setProperties({ invert: !viewport.getProperties().invert });
      render();
    },
    fit() {
      viewport.resetCamera({ resetPan: true, resetZoom: true });
      render();
    },
    oneToOne() {
      const now = zoomPercent();
      if (!now) return;
      viewport.setZoom(viewport.getZoom() * (100 / now));
      render();
    },
    reset() {
      viewport.setViewPresentation({ rotation: 0, flipHorizontal: false, flipVertical: false });
      viewport.resetCamera({ resetPan: true, resetZoom: true });
      viewport.resetProperties();
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
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      element.removeEventListener(Enums.Events.VOI_MODIFIED, onChanged);
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, onChanged);
      element.removeEventListener('contextmenu', noMenu);
      ToolGroupManager.destroyToolGroup(toolGroupId);
      engine.destroy();
      delete element.dataset.renderState;
      delete element.dataset.renderCount;
    },
  };
}

function first(v: number | number[] | undefined): number | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function normalizeDegrees(d: number): number {
  return ((Math.round(d) % 360) + 360) % 360;
}
