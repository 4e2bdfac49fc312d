/** Handlers for the service catalog part of the film slice. */
import type { EventSink, Handlers } from '../../core/handler-types';
import type { ServiceCatalog } from './service-catalog';

export interface CatalogHandlerDeps {
  catalog: ServiceCatalog;
  events?: EventSink;
}

export function createCatalogHandlers({ catalog, events }: CatalogHandlerDeps): Handlers<'catalog.list' | 'catalog.update'> {
  return {
    'catalog.list': ({ includeInactive }) => ({ items: catalog.list({ includeInactive }) }),
    'catalog.update': (input, ctx) => {
      const { entry, previous } = catalog.upsert(input);
      // Old → new for what finance cares about; no patient data is involved.
      ctx.audit({
        detail: {
          procedureCode: entry.procedureCode,
          old: previous && {
            noFilmCode: previous.noFilmCode,
            noFilmPrice: previous.noFilmPrice,
            withFilmCode: previous.withFilmCode,
            withFilmPrice: previous.withFilmPrice,
            active: previous.active,
          },
          new: {
            noFilmCode: entry.noFilmCode,
            noFilmPrice: entry.noFilmPrice,
            withFilmCode: entry.withFilmCode,
            withFilmPrice: entry.withFilmPrice,
            active: entry.active,
          },
        },
      });
      events?.emit('catalog.changed', { procedureCode: entry.procedureCode });
      return entry;
    },
  };
}
