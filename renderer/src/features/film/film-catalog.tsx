/**
 * Danh mục dịch vụ / the service catalog: each X-ray service's no-film and with-film billing
 * codes and prices (VND). Everyone sees it; admins change it (audited). A change applies to
 * records made afterwards; a record keeps the codes and prices it was made with.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogEntry } from '../../../../shared/film-views';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { useSession } from '../../app/session';
import { currentLanguage } from '../../i18n/i18n';
import { useDeskQuery } from '../../lib/query';
import { formatVnd } from './film-format';
import { useUpdateCatalog } from './use-film';

type Draft = Record<'procedureCode' | 'name' | 'noFilmCode' | 'noFilmPrice' | 'withFilmCode' | 'withFilmPrice', string> & { active: boolean };

const EMPTY: Draft = { procedureCode: '', name: '', noFilmCode: '', noFilmPrice: '', withFilmCode: '', withFilmPrice: '', active: true };

function draftOf(e: CatalogEntry): Draft {
  return { ...e, noFilmPrice: String(e.noFilmPrice), withFilmPrice: String(e.withFilmPrice) };
}

export function FilmCatalog() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const { operator } = useSession();
  const isAdmin = operator.role === 'admin';
  const catalog = useDeskQuery('catalog.list', { includeInactive: isAdmin });
  const [editing, setEditing] = useState<{ draft: Draft; isNew: boolean } | null>(null);

  return (
    <div>
      <p className="field-help">{t('film.catalog.help')}</p>
      {isAdmin && !editing && (
        <div className="toolbar">
          <button type="button" onClick={() => setEditing({ draft: EMPTY, isNew: true })}>
            {t('film.catalog.add')}
          </button>
        </div>
      )}
      {editing && <CatalogForm key={editing.draft.procedureCode || 'new'} initial={editing.draft} isNew={editing.isNew} onClose={() => setEditing(null)} />}
      {catalog.isPending && <Loading />}
      {catalog.isError && <ErrorBox error={catalog.error} />}
      {catalog.data && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('film.tabs.catalog')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('film.catalog.procedureCode')}</th>
                <th scope="col">{t('film.catalog.name')}</th>
                <th scope="col">{t('film.catalog.noFilm')}</th>
                <th scope="col">{t('film.catalog.withFilm')}</th>
                {isAdmin && <th scope="col">{t('film.catalog.active')}</th>}
                {isAdmin && (
                  <th scope="col">
                    <span className="visually-hidden">{t('film.register.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {catalog.data.items.map((e) => (
                <tr key={e.procedureCode} className={e.active ? undefined : 'film-voided'}>
                  <td>
                    <code>{e.procedureCode}</code>
                  </td>
                  <td>{e.name}</td>
                  <td className="nowrap">
                    <code>{e.noFilmCode}</code> {formatVnd(e.noFilmPrice, lang)}
                  </td>
                  <td className="nowrap">
                    <code>{e.withFilmCode}</code> {formatVnd(e.withFilmPrice, lang)}
                  </td>
                  {isAdmin && <td>{e.active ? t('film.catalog.yes') : t('film.catalog.no')}</td>}
                  {isAdmin && (
                    <td>
                      <button type="button" className="button-small" onClick={() => setEditing({ draft: draftOf(e), isNew: false })}>
                        {t('film.catalog.edit')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function CatalogForm({ initial, isNew, onClose }: { initial: Draft; isNew: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [d, setD] = useState(initial);
  const update = useUpdateCatalog();
  const bad = update.error?.field;
  const input = (key: Exclude<keyof Draft, 'active'>, numeric = false) => (
    <div className="field">
      <label htmlFor={`film-catalog-${key}`}>{t(`film.catalog.${key}`)}</label>
      <input
        id={`film-catalog-${key}`}
        type={numeric ? 'number' : 'text'}
        min={numeric ? 0 : undefined}
        step={numeric ? 1000 : undefined}
        readOnly={key === 'procedureCode' && !isNew}
        aria-invalid={bad === key}
        value={d[key]}
        onChange={(e) => setD({ ...d, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <form
      className="panel film-catalog-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(
          {
            procedureCode: d.procedureCode,
            name: d.name,
            noFilmCode: d.noFilmCode,
            noFilmPrice: d.noFilmPrice.trim() === '' ? Number.NaN : Number(d.noFilmPrice),
            withFilmCode: d.withFilmCode,
            withFilmPrice: d.withFilmPrice.trim() === '' ? Number.NaN : Number(d.withFilmPrice),
            active: d.active,
          },
          { onSuccess: onClose },
        );
      }}
    >
      <h2>{isNew ? t('film.catalog.add') : t('film.catalog.edit')}</h2>
      <div className="film-case-fields">
        {input('procedureCode')}
        {input('name')}
        {input('noFilmCode')}
        {input('noFilmPrice', true)}
        {input('withFilmCode')}
        {input('withFilmPrice', true)}
        <label className="inline-check">
          <input type="checkbox" checked={d.active} onChange={(e) => setD({ ...d, active: e.target.checked })} />
          {t('film.catalog.active')}
        </label>
      </div>
      {update.isError && <ErrorBox error={update.error} />}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          {t('film.catalog.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('film.form.cancel')}
        </button>
      </div>
    </form>
  );
}
