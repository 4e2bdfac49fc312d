/**
 * Cài đặt / Settings: every key of the settings schema, grouped by section, saved with one
 * `settings.update` of the changed keys. A rejected value is shown at its field and named in the
 * summary. Admins also manage operators here.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicSettings } from '../../../../shared/settings-schema';
import { ErrorBox, useErrorText } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { useSession } from '../../app/session';
import { useSaveSettings } from '../../app/use-save-settings';
import { DeskCallError } from '../../lib/desk-call-error';
import { useDeskQuery } from '../../lib/query';
import { OperatorsPanel } from '../operators/operators-panel';
import { SectionActions } from './section-actions';
import { fieldId, SettingInput } from './setting-input';
import { draftFromSettings, patchFromDraft, secretIsSet, type Draft } from './settings-draft';
import { describeSettings, fieldForErrorPath } from './settings-fields';

const SECTIONS = describeSettings();

export function SettingsPage() {
  const { t } = useTranslation();
  const { operator } = useSession();
  const settings = useDeskQuery('settings.get', {});
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('nav.settings')}</h1>
      {settings.isPending && <Loading />}
      {settings.isError && <ErrorBox error={settings.error} />}
      {settings.data && <SettingsForm settings={settings.data} />}
      {operator.role === 'admin' && <OperatorsPanel />}
    </section>
  );
}

function SettingsForm({ settings }: { settings: PublicSettings }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const original = useMemo(() => draftFromSettings(SECTIONS, settings), [settings]);
  const [draft, setDraft] = useState<Draft>(original);
  // Settings changed elsewhere (another window, `settings.changed`): take them unless the user is
  // editing. Adjusted during render, as React recommends for state derived from props.
  const [base, setBase] = useState(original);
  if (base !== original) {
    setBase(original);
    if (patchFromDraft(SECTIONS, base, draft).changed.length === 0) setDraft(original);
  }
  const { changed, patch } = patchFromDraft(SECTIONS, original, draft);
  const dirty = changed.length > 0;
  const save = useSaveSettings((value) => setDraft(draftFromSettings(SECTIONS, value)));

  const failed = save.error instanceof DeskCallError ? save.error : null;
  const badField = fieldForErrorPath(SECTIONS, failed?.field);

  return (
    <form
      className="settings-form"
      aria-label={t('nav.settings')}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!dirty) return;
        save.mutate(patch);
      }}
    >
      <div className="settings-sections">
        {SECTIONS.map((section) => (
          <fieldset key={section.id} className="settings-section">
            <legend>{t(`settingsSection.${section.id}`, { defaultValue: section.id })}</legend>
            {section.fields.map((field) => (
              <SettingInput
                key={field.path}
                field={field}
                value={draft[field.path] ?? ''}
                secretSet={secretIsSet(settings, field.path)}
                error={badField?.path === field.path && save.error ? errorText(save.error) : null}
                onChange={(value) => {
                  save.reset();
                  setDraft((d) => ({ ...d, [field.path]: value }));
                }}
              />
            ))}
            <SectionActions section={section.id} draft={draft} changed={changed} />
          </fieldset>
        ))}
      </div>
      <div className="save-bar">
        <button type="submit" className="button-primary" disabled={!dirty || save.isPending}>
          {t('settings.save')}
        </button>
        <button type="button" disabled={!dirty || save.isPending} onClick={() => (save.reset(), setDraft(original))}>
          {t('settings.discard')}
        </button>
        <span className="save-state">
          {dirty && !save.isError && t('settings.unsaved', { n: changed.length })}
          {save.isSuccess && !dirty && (
            <span role="status">{t('settings.saved')}</span>
          )}
        </span>
        {save.isError && (
          <p className="alert alert-error" role="alert">
            {badField ? (
              <>
                {t('settings.rejectedField')}{' '}
                <button type="button" className="link-button" onClick={() => focusField(badField.path)}>
                  {t(`settingsField.${badField.path}`, { defaultValue: badField.path })}
                </button>
                {': '}
              </>
            ) : (
              `${t('settings.rejected')}: `
            )}
            {errorText(save.error)}
          </p>
        )}
      </div>
    </form>
  );
}

/** From the summary to the field; a button, not an anchor, because the hash holds the route. */
function focusField(path: string): void {
  const el = document.getElementById(fieldId(path));
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}
