/**
 * The virtualised study list (@tanstack/react-virtual): only the rows in view (plus a few) exist in
 * the DOM, so scrolling 10,000 studies costs the same as scrolling 20. Keyboard: ↑/↓ move the
 * selection (and open it), Home/End jump. Pointing at a row starts the prefetch of its first image;
 * pressing it opens it.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import { ROW_HEIGHT, StudyRow } from './study-row';
import type { StudyPages } from './use-study-pages';

export interface InboxListProps {
  pages: StudyPages;
  selectedIndex: number | null;
  selectedUid: string | null;
  onSelect(study: StudyListItem, index: number): void;
  onPoint(study: StudyListItem): void;
  onVisible(first: number, last: number): void;
}

export function InboxList({ pages, selectedIndex, selectedUid, onSelect, onPoint, onVisible }: InboxListProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => onVisible(first, last), [first, last, onVisible]);

  function rowAt(index: number): StudyListItem | undefined {
    return index >= 0 && index < count ? pages.row(index) : undefined;
  }

  function move(to: number): void {
    const target = Math.max(0, Math.min(count - 1, to));
    const study = rowAt(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    if (study) onSelect(study, target);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const at = selectedIndex ?? -1;
    const jumps: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + 6,
      PageUp: at - 6,
      Home: 0,
      End: count - 1,
    };
    const to = jumps[e.key];
    if (to === undefined || count === 0) return;
    // The list owns these keys while it has focus; the viewer's shortcuts must not see them.
    e.preventDefault();
    e.stopPropagation();
    move(to);
  }

  return (
    <div
      ref={scroller}
      className="inbox-scroller"
      role="listbox"
      tabIndex={0}
      aria-label={t('inbox.list')}
      aria-activedescendant={selectedIndex !== null ? `study-row-${selectedIndex}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="inbox-list"
    >
      <div className="inbox-rows" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((v) => {
          const study = rowAt(v.index);
          const prev = rowAt(v.index - 1);
          return (
            <div
              key={v.key}
              className="inbox-row-slot"
              style={{ height: v.size, transform: `translateY(${v.start}px)` }}
              onPointerEnter={study ? () => onPoint(study) : undefined}
              // Selected on press, as a list box does: the viewer starts on the press, not the release.
              onPointerDown={study ? (e) => e.button === 0 && onSelect(study, v.index) : undefined}
            >
              {study ? (
                <StudyRow
                  study={study}
                  images={pages.imagesOf(study.studyInstanceUID)}
                  continuesPatient={prev !== undefined && prev.patientID === study.patientID && prev.patientNameDicom === study.patientNameDicom}
                  selected={study.studyInstanceUID === selectedUid}
                  index={v.index}
                />
              ) : (
                <div className="study-row study-row-placeholder" aria-hidden="true" />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
