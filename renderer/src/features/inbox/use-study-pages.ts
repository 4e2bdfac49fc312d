/**
 * The inbox list in pages: only the pages under the visible rows are asked for (`studies.list`
 * with offset/limit), each with the images of its studies (`images.list`) for thumbnails, QA
 * counts and prefetching. A desk with 10,000 studies thus never loads or renders 10,000 rows.
 *
 * Live: `studies.changed` (a new image, a state change), `visits.changed` (a study attached or
 * detached: its identity, its state and the bytes its images are served as), `images.reviewed` and
 * `settings.changed` (review.requireQa decides whether a study not reviewed may be "ready") refetch
 * the pages on screen; pages scrolled away are refetched when they come back.
 */
import { keepPreviousData, useQueries } from '@tanstack/react-query';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import type { StudyImages } from '../../../../shared/contract/review';
import { deskQueryKey, useDeskClient, useInvalidateOnEvent } from '../../lib/query';

export const PAGE_SIZE = 50;

export interface StudyPages {
  /** Total rows for this search (null until the first page answers). */
  total: number | null;
  row(index: number): StudyListItem | undefined;
  imagesOf(studyInstanceUID: string): StudyImages | undefined;
  /** Any page still loading for the first time. */
  loading: boolean;
  error: unknown;
}

/** The pages covering rows [first, last], always including page 0 (it carries the total). */
export function pagesFor(first: number, last: number): number[] {
  const a = Math.max(0, Math.floor(first / PAGE_SIZE));
  const b = Math.max(a, Math.floor(Math.max(first, last) / PAGE_SIZE));
  const out = new Set<number>([0]);
  for (let p = a; p <= b; p++) out.add(p);
  return [...out].sort((x, y) => x - y);
}

export function useStudyPages(text: string, visible: { first: number; last: number }): StudyPages {
  const client = useDeskClient();
  useInvalidateOnEvent('studies.changed', ['studies.list', 'images.list']);
  useInvalidateOnEvent('visits.changed', ['studies.list', 'images.list']);
  useInvalidateOnEvent('images.reviewed', ['images.list']);
  useInvalidateOnEvent('settings.changed', ['studies.list', 'images.list']);

  const pages = pagesFor(visible.first, visible.last);
  const listInputs = pages.map((p) => ({ ...(text ? { text } : {}), limit: PAGE_SIZE, offset: p * PAGE_SIZE }));
  const lists = useQueries({
    queries: listInputs.map((input) => ({
      queryKey: deskQueryKey('studies.list', input),
      queryFn: () => client.call('studies.list', input),
      placeholderData: keepPreviousData,
      staleTime: 30_000,
    })),
  });

  const uidLists = lists.map((q) => q.data?.items.map((s) => s.studyInstanceUID) ?? []);
  const images = useQueries({
    queries: uidLists.map((uids) => {
      const input = { studyInstanceUIDs: uids };
      return {
        queryKey: deskQueryKey('images.list', input),
        queryFn: () => client.call('images.list', input),
        enabled: uids.length > 0,
        placeholderData: keepPreviousData,
        staleTime: 30_000,
      };
    }),
  });

  // Rebuilt each render: a few hundred entries at most, cheaper than tracking what changed.
  const byPage = new Map<number, StudyListItem[]>();
  pages.forEach((p, i) => {
    const d = lists[i]?.data;
    if (d) byPage.set(p, d.items);
  });
  const byUid = new Map<string, StudyImages>();
  for (const q of images) for (const s of q.data?.items ?? []) byUid.set(s.studyInstanceUID, s);
  const first = lists[0]?.data;
  return {
    total: first ? first.total : null,
    row: (i: number) => byPage.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    imagesOf: (uid: string) => byUid.get(uid),
    loading: lists.some((q) => q.isLoading),
    error: lists.find((q) => q.error)?.error ?? null,
  };
}
