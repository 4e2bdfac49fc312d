/**
 * The pages of the navigation, in order, each loaded on first visit so a heavy page (the viewer,
 * the settings form with its schema) does not slow the start.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export const ROUTE_IDS = ['inbox', 'visits', 'film', 'sync', 'settings', 'audit'] as const;
export type RouteId = (typeof ROUTE_IDS)[number];
export const DEFAULT_ROUTE: RouteId = 'inbox';

export function isRouteId(x: string | undefined): x is RouteId {
  return ROUTE_IDS.includes(x as RouteId);
}

type Page = LazyExoticComponent<ComponentType>;

export const PAGES: Readonly<Record<RouteId, Page>> = {
  inbox: lazy(() => import('../features/inbox/inbox-page').then((m) => ({ default: m.InboxPage }))),
  visits: lazy(() => import('../features/visits/visits-page').then((m) => ({ default: m.VisitsPage }))),
  film: lazy(() => import('../features/film/film-page').then((m) => ({ default: m.FilmPage }))),
  sync: lazy(() => import('../features/sync/sync-page').then((m) => ({ default: m.SyncPage }))),
  settings: lazy(() => import('../features/settings/settings-page').then((m) => ({ default: m.SettingsPage }))),
  audit: lazy(() => import('../features/audit/audit-page').then((m) => ({ default: m.AuditPage }))),
};
