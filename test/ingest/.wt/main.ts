import { Worker } from 'node:worker_threads';
const entry = new URL('./w.ts', import.meta.url).href;
const tries: Array<[string, () => Worker]> = [
 ['direct', () => new Worker(new URL('./w.ts', import.meta.url))],
 ['execArgv', () => new Worker(new URL('./w.ts', import.meta.url), { execArgv: ['--import', 'tsx'] })],
 ['eval-tsImport', () => new Worker(`import('tsx/esm/api').then(m => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`, { eval: true })],
];
for (const [n, mk] of tries) {
  await new Promise<void>((res) => { try { const w = mk(); w.on('message', (m) => { console.log(n, 'ok', m); w.terminate(); res(); }); w.on('error', (e) => { console.log(n, 'err', e.message.slice(0,100)); res(); }); } catch (e) { console.log(n, 'throw', (e as Error).message.slice(0,100)); res(); } });
}
