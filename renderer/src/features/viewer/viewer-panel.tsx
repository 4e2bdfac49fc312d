/**
 * The review viewer: one Cornerstone3D stack viewport showing the selected study, series by series,
 * with the tools, the four-corner overlays, the image strip and the QA bar. It stays mounted beside
 * the inbox, so opening a study only swaps the stack: with the first image prefetched on hover,
 * the pixels are there within a frame or two of the click.
 *
 * Opening a study also reads it with `studies.get`, the contract's audited read of patient data.
 */
import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import type { StudyImages } from '../../../../shared/contract/review';
import { useDeskClient, useDeskQuery } from '../../lib/query';
import { QaBar, reasonForDigit, type QaHandle } from '../review/qa-bar';
import { HelpPanel } from './help-panel';
import { imageIdFor } from './image-ids';
import { ImageStrip, type StripPosition } from './image-strip';
import { prefetchImage } from './load-runtime';
import type { ViewerAction } from './shortcuts';
import { useViewerEngine } from './use-viewer-engine';
import type { ViewerEngine } from './viewer-engine';
import { ViewerOverlays } from './viewer-overlays';
import { ViewerToolbar } from './viewer-toolbar';
import './viewer.css';

export interface ViewerHandle {
  /** Runs a keyboard action; returns false when the viewer had nothing to do with it. */
  perform(action: ViewerAction, key?: string): boolean;
  /** The user is about to open this study: draw its first image out of sight. */
  prepare(images: StudyImages): void;
}

export interface ViewerPanelProps {
  study: StudyListItem | null;
  /** The study's images (from the inbox's `images.list`), or null while unknown. */
  images: StudyImages | null;
  ref?: Ref<ViewerHandle>;
}

const PRESETS = { presetFile: 'file', presetChest: 'chest', presetSoftTissue: 'softTissue', presetBone: 'bone' } as const;
const TOOLS = { toolWindowLevel: 'windowLevel', toolPan: 'pan', toolZoom: 'zoom', toolLength: 'length' } as const;

export function ViewerPanel({ study, images, ref }: ViewerPanelProps) {
  const { t } = useTranslation();
  const client = useDeskClient();
  const element = useRef<HTMLDivElement>(null);
  const { engine, snapshot, loadError } = useViewerEngine(element);
  const [at, setAt] = useState<StripPosition>({ series: 0, image: 0 });
  const [help, setHelp] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const qa = useRef<QaHandle>(null);
  const studyUID = study?.studyInstanceUID ?? null;

  // A new study starts at its first image.
  const [shownStudy, setShownStudy] = useState<string | null>(null);
  if (shownStudy !== studyUID) {
    setShownStudy(studyUID);
    setAt({ series: 0, image: 0 });
    setRejecting(false);
  }

  const series = images?.series[at.series] ?? null;
  const image = series?.images[at.image] ?? null;
  // What is on screen is this image: only then do the overlays name the patient (never one
  // patient's name over another's pixels while the new image loads).
  const showing = image !== null && snapshot?.renderState === 'rendered' && snapshot.imageId === imageIdFor(image, client.transport);
  const rendered = snapshot?.renderState === 'rendered';
  // The audited read, once the pixels are up: its audit write must not hold up the image bytes,
  // which the same desk process is streaming at the moment of the click.
  useDeskQuery('studies.get', { studyInstanceUID: studyUID ?? '' }, { enabled: studyUID !== null && showing, staleTime: Infinity });
  const stackIds = useMemo(() => (series ? series.images.map((i) => imageIdFor(i, client.transport)) : []), [series, client.transport]);
  const stackKey = stackIds.join('|');

  // Swap the stack when the study or series changes; move within it when only the image does.
  // A layout effect: the load starts before the browser paints this render, not a frame later.
  const shownStack = useRef<string>('');
  useLayoutEffect(() => {
    if (!engine || stackIds.length === 0) return;
    if (shownStack.current !== stackKey) {
      shownStack.current = stackKey;
      void engine.show(stackIds, at.image).catch(() => {});
    } else {
      void engine.setImageIndex(at.image).catch(() => {});
    }
    // stackIds is derived from stackKey, so the key alone says when the stack changed.
  }, [engine, stackKey, at.image]);

  // Once the first image is up, fetch the rest of the study in the background.
  useEffect(() => {
    if (!rendered || !images) return;
    for (const s of images.series) for (const i of s.images.slice(0, 12)) prefetchImage(imageIdFor(i, client.transport));
  }, [rendered, images, client.transport]);

  function step(delta: number): void {
    if (!images || !series) return;
    const next = at.image + delta;
    if (next >= 0 && next < series.images.length) setAt({ series: at.series, image: next });
  }
  function stepSeries(delta: number): void {
    if (!images) return;
    const next = at.series + delta;
    if (next >= 0 && next < images.series.length) setAt({ series: next, image: 0 });
  }

  function perform(action: ViewerAction, key?: string): boolean {
    if (rejecting) {
      const reason = key ? reasonForDigit(key) : null;
      if (reason) {
        qa.current?.reject(reason);
        return true;
      }
      if (action === 'close') {
        setRejecting(false);
        return true;
      }
    }
    if (action === 'help') {
      setHelp((h) => !h);
      return true;
    }
    if (action === 'close') {
      if (!help) return false;
      setHelp(false);
      return true;
    }
    if (!study || !engine) return false;
    return runOnEngine(engine, action);
  }

  function runOnEngine(e: ViewerEngine, action: ViewerAction): boolean {
    if (action in PRESETS) e.applyPreset(PRESETS[action as keyof typeof PRESETS]);
    else if (action in TOOLS) e.setTool(TOOLS[action as keyof typeof TOOLS]);
    else if (action === 'nextImage') step(1);
    else if (action === 'prevImage') step(-1);
    else if (action === 'nextSeries') stepSeries(1);
    else if (action === 'prevSeries') stepSeries(-1);
    else if (action === 'rotate') e.rotate90();
    else if (action === 'flipH') e.flipHorizontal();
    else if (action === 'flipV') e.flipVertical();
    else if (action === 'invert') e.toggleInvert();
    else if (action === 'fit') e.fit();
    else if (action === 'oneToOne') e.oneToOne();
    else if (action === 'reset') e.reset();
    else if (action === 'accept') qa.current?.accept();
    else if (action === 'reject') setRejecting(image !== null);
    else return false;
    return true;
  }

  useImperativeHandle(ref, () => ({
    perform,
    prepare(next) {
      const first = next.series[0];
      if (engine && first) engine.prepare(first.images.map((i) => imageIdFor(i, client.transport)));
    },
  }));

  const state = loadError ? 'error' : (snapshot?.renderState ?? 'idle');
  const imageTotal = series?.images.length ?? 0;

  return (
    <section className="viewer" aria-label={t('viewer.label')}>
      <ViewerToolbar tool={snapshot?.tool ?? 'windowLevel'} disabled={!study || !engine} onAction={perform} />
      <div className="viewer-stage">
        <div
          ref={element}
          className="viewer-viewport"
          data-testid="viewport"
          data-instance-id={image?.instanceId ?? ''}
          data-revision={image?.revision ?? ''}
          aria-label={t('viewer.viewport')}
          role="img"
        />
        {study && showing ? (
          <ViewerOverlays
            study={study}
            image={image}
            imageNumber={at.image + 1}
            imageTotal={imageTotal}
            seriesNumber={at.series + 1}
            seriesTotal={images?.series.length ?? 0}
            snapshot={snapshot}
          />
        ) : study ? null : (
          <div className="viewer-empty">
            <p>{t('viewer.empty')}</p>
            <p className="viewer-empty-hint">{t('viewer.emptyHint')}</p>
          </div>
        )}
        {study && state === 'loading' ? <div className="viewer-loading">{t('viewer.loading')}</div> : null}
        {study && state === 'error' ? (
          <div className="viewer-error" role="alert">
            {t(loadError ? 'viewer.loadError' : 'viewer.imageError')}
          </div>
        ) : null}
        {help ? <HelpPanel onClose={() => setHelp(false)} /> : null}
      </div>
      {study && images ? (
        <div className="viewer-bottom">
          <ImageStrip images={images} at={at} onPick={setAt} />
          {image ? <QaBar ref={qa} images={images} image={image} rejecting={rejecting} onRejectingChange={setRejecting} /> : null}
        </div>
      ) : null}
    </section>
  );
}
