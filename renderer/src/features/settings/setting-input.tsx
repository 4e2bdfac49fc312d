/**
 * One settings field: its label (current language), its dotted key (what the README and the
 * error messages name), the input its kind calls for, and its error when the core rejected it.
 */
import { useTranslation } from 'react-i18next';
import type { DraftValue, SecretDraft } from './settings-draft';
import type { SettingField } from './settings-fields';

export interface SettingInputProps {
  field: SettingField;
  value: DraftValue;
  /** Secrets: whether one is stored now. */
  secretSet: boolean;
  error: string | null;
  onChange: (value: DraftValue) => void;
}

export function fieldId(path: string): string {
  return `setting-${path.replace(/\./g, '-')}`;
}

export function SettingInput({ field, value, secretSet, error, onChange }: SettingInputProps) {
  const { t } = useTranslation();
  const id = fieldId(field.path);
  // A key added to the schema without labels still shows, by its path (the i18n test flags it).
  const label = t(`settingsField.${field.path}`, { defaultValue: field.path });
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, field.kind.type === 'secret' ? `${id}-state` : null].filter(Boolean).join(' ');
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
  const kind = field.kind;

  let input;
  switch (kind.type) {
    case 'boolean':
      return (
        <div className={`field field-check${error ? ' field-invalid' : ''}`}>
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <label htmlFor={id}>{label}</label>
          <code className="field-key">{field.path}</code>
          {error && <p className="field-error" id={errorId}>{error}</p>}
        </div>
      );
    case 'choice':
      input = (
        <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {kind.options.map((option) => {
            const encoded = JSON.stringify(option);
            return (
              <option key={encoded} value={encoded}>
                {t(`settingsOption.${field.path}.${String(option)}`, { defaultValue: String(option) })}
              </option>
            );
          })}
        </select>
      );
      break;
    case 'number':
      input = (
        <input
          {...common}
          type="number"
          inputMode={kind.integer ? 'numeric' : 'decimal'}
          min={kind.min ?? undefined}
          max={kind.max ?? undefined}
          step={kind.integer ? 1 : 'any'}
          value={String(value)}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'list':
      input = <textarea {...common} rows={3} value={String(value)} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'secret':
      input = <SecretInput id={id} common={common} value={value as SecretDraft} isSet={secretSet} onChange={onChange} />;
      break;
    case 'unsupported':
      input = <output id={id} className="field-readonly">{String(value)}</output>;
      break;
    default:
      input = (
        <input
          {...common}
          type={kind.url ? 'url' : 'text'}
          spellCheck={false}
          value={String(value)}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }

  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        <code className="field-key">{field.path}</code>
      </div>
      {input}
      {kind.type === 'list' && <p className="field-help">{t('settings.onePerLine')}</p>}
      {error && <p className="field-error" id={errorId}>{error}</p>}
    </div>
  );
}

function SecretInput(props: {
  id: string;
  common: Record<string, unknown>;
  value: SecretDraft;
  isSet: boolean;
  onChange: (v: SecretDraft) => void;
}) {
  const { t } = useTranslation();
  const { value, isSet, onChange } = props;
  const clearing = value.action === 'clear';
  return (
    <div className="secret">
      <span id={`${props.id}-state`} className={`pill ${isSet ? 'pill-ok' : 'pill-idle'}`}>
        {clearing ? t('settings.secret.willClear') : isSet ? t('settings.secret.set') : t('settings.secret.notSet')}
      </span>
      <input
        {...props.common}
        type="password"
        autoComplete="new-password"
        placeholder={isSet ? t('settings.secret.replace') : t('settings.secret.enter')}
        disabled={clearing}
        value={value.value}
        onChange={(e) => onChange({ action: e.target.value === '' ? 'keep' : 'replace', value: e.target.value })}
      />
      {isSet && (
        <label className="inline-check">
          <input
            type="checkbox"
            checked={clearing}
            onChange={(e) => onChange({ action: e.target.checked ? 'clear' : 'keep', value: '' })}
          />
          {t('settings.secret.clear')}
        </label>
      )}
    </div>
  );
}
