/**
 * "What attaching will change" for one study: each top-level attribute the desk will write from
 * the visit, its value(s) in the images now and the value it will get. The values are shown raw
 * (DICOM PN keeps its `^`), since that is exactly what goes into the file; the old ones are kept
 * in Original Attributes Sequence (0400,0561), PS3.3 C.12.1.1.9.
 */
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { tagChangeSchema } from '../../../../shared/contract/visits';

type TagChange = z.output<typeof tagChangeSchema>;

export function TagChangeTable({ changes, caption }: { changes: readonly TagChange[]; caption: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table tag-change-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('visits.attach.tag')}</th>
            <th scope="col">{t('visits.attach.attribute')}</th>
            <th scope="col">{t('visits.attach.old')}</th>
            <th scope="col" aria-hidden="true" />
            <th scope="col">{t('visits.attach.new')}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => {
            const same = c.old.length === 1 && c.old[0] === c.new;
            return (
              <tr key={c.tag} data-keyword={c.keyword} className={same ? 'tag-same' : 'tag-changed'}>
                <td className="nowrap">
                  <code>{c.tag}</code>
                </td>
                <td>
                  {t(`visits.tag.${c.keyword}`, { defaultValue: c.keyword })}
                  <span className="tag-keyword">{c.keyword}</span>
                </td>
                <td className="tag-old" lang="vi">
                  {c.old.length === 0 ? <em>{t('visits.attach.absent')}</em> : c.old.map((v, i) => <span key={i} className="tag-value">{v === '' ? <em>{t('visits.attach.empty')}</em> : v}</span>)}
                </td>
                <td aria-hidden="true" className="tag-arrow">
                  →
                </td>
                <td className="tag-new" lang="vi">
                  {c.new === '' ? <em>{t('visits.attach.empty')}</em> : c.new}
                  {same && <span className="tag-unchanged">{t('visits.attach.unchanged')}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
