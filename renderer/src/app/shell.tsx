/**
 * The signed-in frame: navigation across the top, the page, the status bar along the bottom.
 * It also keeps the UI language in step with the desk's `ui.language` setting.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { applyLanguage } from '../i18n/i18n';
import { hashSegments, routeHref, useHash } from '../lib/hash-route';
import { deskQueryKey, useDeskEvent, useDeskQuery } from '../lib/query';
import { Loading } from './loading';
import { DEFAULT_ROUTE, isRouteId, PAGES, ROUTE_IDS } from './routes';
import { StatusBar } from './status-bar';

export function Shell() {
  const { t } = useTranslation();
  const hash = useHash();
  const first = hashSegments(hash)[0];
  const route = isRouteId(first) ? first : DEFAULT_ROUTE;
  const Page = PAGES[route];
  const main = useRef<HTMLElement>(null);
  useDeskLanguage();

  const title = t(`nav.${route}`);
  useEffect(() => {
    document.title = `${title} — Radiology Desk`;
  }, [title]);
  // Moving between pages puts keyboard and screen-reader focus at the start of the new page.
  const previous = useRef(route);
  useEffect(() => {
    if (previous.current !== route) main.current?.focus();
    previous.current = route;
  }, [route]);

  return (
    <div className="app">
      <header className="top-bar">
        <span className="brand">Radiology Desk</span>
        <nav aria-label={t('nav.label')}>
          <ul className="nav-list">
            {ROUTE_IDS.map((id) => (
              <li key={id}>
                <a href={routeHref(id)} aria-current={id === route ? 'page' : undefined}>
                  {t(`nav.${id}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Page />
        </Suspense>
      </main>
      <StatusBar />
    </div>
  );
}

/** Follows `ui.language`: on sign-in, and when any desk changes it (`settings.changed`). */
function useDeskLanguage(): void {
  const queryClient = useQueryClient();
  const settings = useDeskQuery('settings.get', {});
  useDeskEvent('settings.changed', (value) => queryClient.setQueryData(deskQueryKey('settings.get', {}), value));
  const language = settings.data?.ui.language;
  useEffect(() => {
    if (language) void applyLanguage(language);
  }, [language]);
}
