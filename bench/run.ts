/**
 * `npm run bench [-- <name>…]`: runs every bench/*.bench.ts (or the named ones) and prints each
 * figure as a ratio against the anchor it measured in the same run. Benchmarks never assert; the
 * table is for people. BENCH_QUICK=1 shrinks every workload for a fast smoke run.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { BenchResult } from './bench-result';


const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

let failed = false;
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run(): Promise<BenchResult[]> };
  console.log(`\n▶ ${f}`);
  try {
    for (const r of await mod.run()) console.log(`  ${r.name.padEnd(56)} ${r.ratio.toFixed(2).padStart(7)}×   ${r.detail}`);
  } catch (e) {
    failed = true;
    console.log(`  failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
process.exit(failed ? 1 : 0);
