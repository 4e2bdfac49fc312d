/**
 * Worker-thread entry: runs header jobs one at a time so a hostile file can only exhaust this
 * thread's limited heap or time, never the desk's main process (FIELD-NOTES: dcmjs can spend
 * minutes and gigabytes on a crafted file).
 *
 * Protocol: { id, job } in; { id, type: 'parsed' } when the parse is done (the pool's parse
 * timeout stops there), then { id, type: 'done', result }.
 */
import { parentPort } from 'node:worker_threads';
import dcmjs from 'dcmjs';
import { runHeaderJob, type HeaderJob } from './header-job';

dcmjs.log.setLevel('silent');

const port = parentPort;
if (!port) throw new Error('header-worker must run in a worker thread');

port.on('message', (msg: { id: number; job: HeaderJob }) => {
  const result = runHeaderJob(msg.job, () => port.postMessage({ id: msg.id, type: 'parsed' }));
  port.postMessage({ id: msg.id, type: 'done', result });
});
