/** Handlers for the foundation slice: the desk itself, settings, operators, audit. */
import type { Handlers } from '../core/handler-types';
import { publicSettings } from '../../shared/settings-schema';
import type { SettingsStore } from './settings/settings-store';
import type { Operators } from './operators/operators';
import type { AuditLog } from './audit/audit-log';

type FoundationMethod =
  | 'app.info'
  | 'settings.get'
  | 'settings.update'
  | 'operators.list'
  | 'operators.create'
  | 'operators.signIn'
  | 'audit.list'
  | 'audit.verify';

export interface FoundationDeps {
  app: { name: string; version: string; deskId: string; dataDir: string; mode: 'electron' | 'browser' | 'test' };
  settings: SettingsStore;
  operators: Operators;
  audit: AuditLog;
}

export function createFoundationHandlers({ app, settings, operators, audit }: FoundationDeps): Handlers<FoundationMethod> {
  return {
    'app.info': () => app,
    'settings.get': () => publicSettings(settings.get()),
    'settings.update': (patch, ctx) => {
      // Record which keys changed, never their values (secrets live there).
      ctx.audit({ detail: { keys: flattenKeys(patch) } });
      return publicSettings(settings.update(patch));
    },
    'operators.list': () => ({ items: operators.list() }),
    'operators.create': (input, ctx) => {
      const op = operators.create(input);
      ctx.audit({ detail: { created: op.id, role: op.role } });
      return op;
    },
    'operators.signIn': ({ operatorId, pin }, ctx) => {
      ctx.audit({ operatorId, detail: { operatorId } });
      return operators.signIn(operatorId, pin);
    },
    'audit.list': (input) => ({ items: audit.list(input) }),
    'audit.verify': () => audit.verify(),
  };
}

function flattenKeys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? flattenKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
