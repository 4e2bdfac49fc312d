/**
 * Hàng chờ / Inbox: the technician's all-day screen. Studies arrive live on the left (newest first,
 * grouped by patient), the selected one is open in the viewer on the right. Typing searches name,
 * patient ID or accession without caring for accents; a barcode scanner anywhere outside a text box
 * opens that patient's newest study.
 *
 * Speed: the viewer code loads while the page is idle, and pointing at a study (or selecting it by
 * keyboard) starts fetching and decoding its first image, so the click finds it already decoded.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import { currentLanguage } from '../../i18n/i18n';
import { formatCount } from '../../lib/format';
import { useDeskClient, useDeskQuery } from '../../lib/query';
import { imageIdFor } from '../viewer/image-ids';
import { prefetchImage, warmViewer } from '../viewer/load-runtime';
import { actionFor } from '../viewer/shortcuts';
import { ViewerPanel, type ViewerHandle } from '../viewer/viewer-panel';
import { InboxList } from './inbox-list';
import { IntakeStrip } from './intake-strip';
import { createKeyRouter, isTypingTarget } from './key-router';
import { useStudyPages } from './use-study-pages';
import { AttachVisitDialog } from '../visits';
import { hashSegments, useHash } from '../../lib/hash-route';
import './inbox.css';

/** How long the pointer rests on a row before its first image is drawn out of sight. */
const PREPARE_AFTER_MS = 120;

interface Selection {
  study: StudyListItem;
  index: number | null;
}

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const client = useDeskClient();
  const [typed, setTyped] = useState('');
  // No debounce: each keystroke asks at once (the search is a few ms in the core), and the list
  // keeps the previous answer on screen until the new one is in.
  const text = typed.trim();
  const [visible, setVisible] = useState({ first: 0, last: 20 });
  const [selection, setSelection] = useState<Selection | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'bad'; text: string } | null>(null);
  const viewer = useRef<ViewerHandle>(null);
  const pages = useStudyPages(text, visible);
  const [attachUids, setAttachUids] = useState<readonly string[] | null>(null);

  // `#/inbox/<StudyInstanceUID>` (links from the Visits and Sync pages) opens that study. The hash
  // never leaves the page: it is not sent to the desk or written to any log.
  const linked = hashSegments(useHash())[1];
  useEffect(() => {
    if (!linked) return;
    let live = true;
    client.call('studies.get', { studyInstanceUID: linked }).then(
      (study) => live && setSelection({ study, index: null }),
      () => live && setNotice({ kind: 'bad', text: t('inbox.linkNotFound') }),
    );
    return () => {
      live = false;
    };
  }, [linked, client, t]);

  useEffect(() => warmViewer(), []);

  const selectedUid = selection?.study.studyInstanceUID ?? null;
  // The row on screen is fresher than the one remembered at selection (its state chip moves) —
  // when it is still that study: a new search or a new arrival moves rows.
  const atIndex = selection?.index != null ? pages.row(selection.index) : undefined;
  const listed = atIndex !== undefined && atIndex.studyInstanceUID === selectedUid;
  const selectedStudy = listed ? atIndex : (selection?.study ?? null);
  const fromPages = selectedUid ? pages.imagesOf(selectedUid) : undefined;
  const single = useDeskQuery(
    'images.list',
    { studyInstanceUIDs: [selectedUid ?? ''] },
    { enabled: selectedUid !== null && fromPages === undefined },
  );
  const selectedImages = fromPages ?? single.data?.items[0] ?? null;

  // Pointing at a study: fetch + decode its first image at once (in the worker), and once the
  // pointer has rested a moment, draw it out of sight in the viewer (the draw uses this thread, so
  // not for every row the pointer sweeps across).
  const prepareTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (prepareTimer.current && clearTimeout(prepareTimer.current)), []);
  const prefetchFirst = useCallback(
    (study: StudyListItem) => {
      const first = pages.imagesOf(study.studyInstanceUID)?.series[0]?.images[0];
      if (first) prefetchImage(imageIdFor(first, client.transport));
    },
    [pages, client.transport],
  );
  const pointAt = useCallback(
    (study: StudyListItem) => {
      const images = pages.imagesOf(study.studyInstanceUID);
      if (!images) return;
      prefetchFirst(study);
      if (prepareTimer.current) clearTimeout(prepareTimer.current);
      prepareTimer.current = setTimeout(() => viewer.current?.prepare(images), PREPARE_AFTER_MS);
    },
    [pages, prefetchFirst],
  );

  const select = useCallback(
    (study: StudyListItem, index: number | null) => {
      if (prepareTimer.current) clearTimeout(prepareTimer.current);
      prefetchFirst(study);
      setSelection({ study, index });
    },
    [prefetchFirst],
  );

  const onScan = useCallback(
    async (code: string) => {
      const found = await client.call('studies.list', { text: code, limit: 50 }).catch(() => null);
      const wanted = code.trim().toLowerCase();
      const match = found?.items.find((s) => s.patientID.toLowerCase() === wanted || s.accessionNumber.toLowerCase() === wanted);
      if (!match) {
        setNotice({ kind: 'bad', text: t('inbox.scanNotFound', { code }) });
        return;
      }
      setNotice({ kind: 'ok', text: t('inbox.scanFound', { code }) });
      setTyped(code);
      setSelection({ study: match, index: null });
    },
    [client, t],
  );

  // One keyboard door: viewer shortcuts and the barcode scanner (key-router.ts).
  const scanRef = useRef(onScan);
  useEffect(() => {
    scanRef.current = onScan;
  }, [onScan]);
  useEffect(() => {
    const router = createKeyRouter({
      onShortcut: (key) => {
        const action = actionFor(key);
        if (action) viewer.current?.perform(action, key.key);
      },
      onScan: (code) => void scanRef.current(code),
    });
    const onKeyDown = (e: KeyboardEvent) => {
      // Not `defaultPrevented`: Cornerstone prevents the default of every key on its viewport, and
      // the viewer's keys must work there too. Controls that own keys stop them (the list does).
      if (isTypingTarget(e.target)) return;
      // Enter and Space on a focused button or link press it, as everywhere else.
      if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof Element && e.target.closest('button, a[href]')) return;
      if (router.handle(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      router.dispose();
    };
  }, []);

  // After an attach the study shows its visit's identity: read it again rather than keep the old row.
  const onAttached = useCallback(
    (result: unknown) => {
      setAttachUids(null);
      if (!result || !selection) return;
      client.call('studies.get', { studyInstanceUID: selection.study.studyInstanceUID }).then(
        (study) => setSelection({ study, index: selection.index }),
        () => undefined,
      );
    },
    [client, selection],
  );

  const onVisible = useCallback((first: number, last: number) => {
    setVisible((v) => (v.first === first && v.last === last ? v : { first, last }));
  }, []);

  const total = pages.total;
  return (
    <div className="inbox-page">
      <section className="inbox-side" aria-labelledby="page-title">
        <div className="inbox-head">
          <h1 id="page-title">{t('inbox.title')}</h1>
          <span className="inbox-count" data-testid="inbox-count">
            {total === null ? '' : t(text ? 'inbox.countFiltered' : 'inbox.count', { count: total, n: formatCount(total, currentLanguage(i18n)) })}
          </span>
        </div>
        <IntakeStrip />
        <label className="visually-hidden" htmlFor="inbox-search">
          {t('inbox.searchLabel')}
        </label>
        <input
          id="inbox-search"
          type="search"
          className="inbox-search"
          placeholder={t('inbox.searchPlaceholder')}
          value={typed}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setTyped('');
            if (e.key === 'Enter') {
              const first = pages.row(0);
              if (first) select(first, 0);
            }
          }}
        />
        {notice ? (
          <p className={`alert ${notice.kind === 'ok' ? 'alert-ok' : 'alert-error'} inbox-notice`} role="status">
            {notice.text}{' '}
            <button type="button" className="link-button" onClick={() => setNotice(null)}>
              {t('inbox.dismiss')}
            </button>
          </p>
        ) : null}
        {/* Always laid out, so selecting a study never moves the list under the pointer. */}
        <div className="inbox-actions">
          <button
            type="button"
            className="button-primary"
            disabled={!selectedStudy}
            onClick={() => selectedStudy && setAttachUids([selectedStudy.studyInstanceUID])}
          >
            {selectedStudy?.visitId ? t('inbox.changeVisit') : t('inbox.attachVisit')}
          </button>
        </div>
        {attachUids ? <AttachVisitDialog studyInstanceUIDs={attachUids} onDone={onAttached} /> : null}
        {total === 0 && !pages.loading ? (
          <div className="empty inbox-empty" role="status">
            {text ? t('inbox.noMatch', { text }) : t('inbox.empty')}
          </div>
        ) : (
          <InboxList
            pages={pages}
            selectedIndex={listed ? (selection?.index ?? null) : null}
            selectedUid={selectedUid}
            onSelect={select}
            onPoint={pointAt}
            onVisible={onVisible}
          />
        )}
      </section>
      <ViewerPanel ref={viewer} study={selectedStudy} images={selectedImages} />
    </div>
  );
}
