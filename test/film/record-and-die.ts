/**
 * Child process for the restart test: opens a desk on the given folder with no network settings
 * at all, records film exceptions, prints their ids, then kills itself with SIGKILL — no close, no
 * checkpoint, as when the desk PC loses power.
 */
import { compose } from '../../electron/compose';
import { manualClock } from '../../electron/services/clock';
import { silentLogger } from '../../electron/services/logger';
import { completeForms, insertVisit } from './film-fixtures';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: record-and-die <dataDir>');

const desk = await compose({ dataDir, mode: 'test', version: '0.0.0-test', clock: manualClock(), logger: silentLogger, background: false });
const ops = await desk.dispatch('operators.list', {});
if (!ops.ok) throw new Error('operators.list failed');
const caller = { operatorId: ops.value.items[0]!.id };
const ids: string[] = [];
for (const kind of ['CONTRACT', 'PATIENT_REQUEST', 'SPECIAL'] as const) {
  const visit = insertVisit(desk.db, { patientName: 'ĐOÀN THỊ ĐIỂM' });
  const r = await desk.dispatch('film.record', completeForms(visit.id)[kind], caller);
  if (!r.ok) throw new Error(r.error.message);
  ids.push(r.value.id);
}
process.stdout.write(JSON.stringify(ids) + '\n', () => process.kill(process.pid, 'SIGKILL'));
