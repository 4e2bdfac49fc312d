/**
 * Who is working at the desk. A fresh desk has one admin without a PIN so it can be set up; an
 * operator with a PIN must sign in, which yields a session token held only in memory (a restart
 * signs everyone out).
 */
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Operator } from '../../../shared/contract/foundation';
import { DeskError } from '../../../shared/errors';

interface Row {
  id: string;
  name: string;
  role: 'technician' | 'admin';
  pin_hash: string | null;
}

export interface Operators {
  list(): Operator[];
  get(id: string): Operator | null;
  create(input: { name: string; role: 'technician' | 'admin'; pin?: string | undefined }): Operator;
  signIn(id: string, pin: string | undefined): { operator: Operator; session: string };
  /** The operator a call acts for: checks the PIN session when the operator has a PIN. */
  resolve(id: string, session: string | undefined): Operator;
}

export const DEFAULT_ADMIN_NAME = 'Quản trị viên';

export function createOperators(db: Db, clock: Clock): Operators {
  const sessions = new Map<string, string>(); // session token → operator id

  const toOperator = (r: Row): Operator => ({ id: r.id, name: r.name, role: r.role, hasPin: r.pin_hash !== null });
  const row = (id: string) => db.prepare('SELECT * FROM operators WHERE id = ? AND disabled = 0').get(id) as Row | undefined;

  const create: Operators['create'] = ({ name, role, pin }) => {
    const id = randomUUID();
    db.prepare('INSERT INTO operators (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
      id,
      name,
      role,
      pin ? hashPin(pin) : null,
      clock.now(),
    );
    return toOperator(row(id)!);
  };

  if ((db.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n === 0) {
    create({ name: DEFAULT_ADMIN_NAME, role: 'admin' });
  }

  return {
    list: () => (db.prepare('SELECT * FROM operators WHERE disabled = 0 ORDER BY created_at').all() as Row[]).map(toOperator),
    get: (id) => {
      const r = row(id);
      return r ? toOperator(r) : null;
    },
    create,
    signIn(id, pin) {
      const r = row(id);
      if (!r) throw new DeskError('NOT_FOUND', { what: 'operator' });
      if (r.pin_hash && !(pin && checkPin(pin, r.pin_hash))) throw new DeskError('PIN_WRONG');
      const session = randomBytes(24).toString('base64url');
      sessions.set(session, r.id);
      return { operator: toOperator(r), session };
    },
    resolve(id, session) {
      const r = row(id);
      if (!r) throw new DeskError('OPERATOR_REQUIRED');
      if (r.pin_hash && (!session || sessions.get(session) !== r.id)) throw new DeskError('PIN_REQUIRED');
      return toOperator(r);
    },
  };
}

function hashPin(pin: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(pin, salt, 32).toString('hex')}`;
}

function checkPin(pin: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const got = scryptSync(pin, Buffer.from(salt, 'hex'), 32);
  return timingSafeEqual(got, Buffer.from(hash, 'hex'));
}
