/**
 * Người thực hiện / Operators, for admins: who may work at this desk and with which role. A PIN
 * is optional (4–8 digits); the core hashes it and never returns it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox, useErrorText } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { deskQueryKey, useDeskMutation, useDeskQuery } from '../../lib/query';

type Role = 'technician' | 'admin';

export function OperatorsPanel() {
  const { t } = useTranslation();
  const operators = useDeskQuery('operators.list', {});
  return (
    <section className="panel" aria-labelledby="operators-title">
      <h2 id="operators-title">{t('operators.title')}</h2>
      {operators.isPending && <Loading />}
      {operators.isError && <ErrorBox error={operators.error} />}
      {operators.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('operators.name')}</th>
              <th scope="col">{t('operators.role')}</th>
              <th scope="col">{t('operators.pin')}</th>
            </tr>
          </thead>
          <tbody>
            {operators.data.items.map((op) => (
              <tr key={op.id}>
                <td>{op.name}</td>
                <td>{t(`role.${op.role}`)}</td>
                <td>{op.hasPin ? t('operators.hasPin') : t('operators.noPin')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateOperatorForm />
    </section>
  );
}

function CreateOperatorForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('technician');
  const [pin, setPin] = useState('');
  const create = useDeskMutation('operators.create', {
    onSuccess: () => {
      setName('');
      setPin('');
      setRole('technician');
      void queryClient.invalidateQueries({ queryKey: deskQueryKey('operators.list') });
    },
  });
  const errorField = create.error?.field;
  const fieldError = (field: string) => (create.isError && errorField === field ? errorText(create.error) : null);

  return (
    <form
      className="inline-form"
      aria-labelledby="create-operator-title"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ name, role, ...(pin !== '' ? { pin } : {}) });
      }}
    >
      <h3 id="create-operator-title">{t('operators.create')}</h3>
      <Field id="new-operator-name" label={t('operators.name')} error={fieldError('name')}>
        {(a11y) => (
          <input {...a11y} type="text" autoComplete="off" value={name} onChange={(e) => (create.reset(), setName(e.target.value))} />
        )}
      </Field>
      <Field id="new-operator-role" label={t('operators.role')} error={fieldError('role')}>
        {(a11y) => (
          <select {...a11y} value={role} onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'technician')}>
            <option value="technician">{t('role.technician')}</option>
            <option value="admin">{t('role.admin')}</option>
          </select>
        )}
      </Field>
      <Field id="new-operator-pin" label={t('operators.pinOptional')} error={fieldError('pin')}>
        {(a11y) => (
          <input
            {...a11y}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={pin}
            onChange={(e) => (create.reset(), setPin(e.target.value))}
          />
        )}
      </Field>
      <button type="submit" className="button-primary" disabled={create.isPending || name.trim() === ''}>
        {t('operators.add')}
      </button>
      {create.isError && !['name', 'role', 'pin'].includes(errorField ?? '') && <ErrorBox error={create.error} />}
      {create.isSuccess && (
        <p className="alert alert-info" role="status">
          {t('operators.created', { name: create.data.name })}
        </p>
      )}
    </form>
  );
}

interface ControlA11y {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled control with its error, wired for screen readers. */
function Field(props: { id: string; label: string; error: string | null; children: (a11y: ControlA11y) => ReactNode }) {
  const { id, label, error } = props;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {props.children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errorId : undefined })}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
