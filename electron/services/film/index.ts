/** The film-exception register: its handlers and what other capabilities may read from it. */
export { createFilmHandlers, type FilmDeps, type FilmMethod } from './handlers';
export { visitBilling } from './visit-billing';
export { visitFilmStatus, type VisitFilmStatus } from './visit-film-status';
