/** Cấp phim / Film exceptions: the page, and the link other pages use to open its form for a visit. */
export { FilmPage, filmFormHref } from './film-page';
