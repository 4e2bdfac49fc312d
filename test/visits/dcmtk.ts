/**
 * dcmtk as the independent judge of what the desk writes (FIELD-NOTES "Independent checks"):
 * `dcmdump` must read a corrected copy or rejection note without a single warning, and
 * `dump2dcm` makes the worklist files the Orthanc worklist plugin serves.
 *
 * dump2dcm reports template errors on stderr but still exits 0 (measured, dcmtk 3.6.7), so both
 * wrappers treat any "E:"/"W:" line as a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePart } from '../support/real-parts';

export function dcmtkAvailable(): boolean {
  return requirePart('dcmtk', existsSync('/usr/bin/dcmdump') && existsSync('/usr/bin/dump2dcm'), 'apt-get install dcmtk');
}

/** The dump of a file (values printed as their raw bytes, read here as UTF-8). Throws on any warning. */
export function dcmdump(file: string, args: string[] = []): string {
  const r = spawnSync('dcmdump', ['-ll', 'warn', ...args, file], { encoding: 'buffer' });
  const stderr = r.stderr.toString('utf8');
  if (r.status !== 0 || /^[EWF]: /m.test(stderr)) throw new Error(`dcmdump rejected ${file}: ${stderr.slice(0, 500)}`);
  return r.stdout.toString('utf8');
}

/** The printed value of the first line for `tag` ("(0010,0010)") at nesting depth `depth`. */
export function dumpValue(dump: string, tag: string, depth = 0): string | undefined {
  const indent = '  '.repeat(depth);
  const line = dump.split('\n').find((l) => l.startsWith(`${indent}${tag.toLowerCase()} `));
  return line?.match(/\[(.*?)\]\s+#/)?.[1];
}

/** Writes `dumpText` (dcmdump syntax, bytes as given) to a DICOM file with dump2dcm. */
export function dump2dcm(dumpText: Buffer | string, outFile: string, args: string[] = []): void {
  const work = mkdtempSync(join(tmpdir(), 'dump2dcm-'));
  try {
    const template = join(work, 'in.dump');
    writeFileSync(template, dumpText);
    const r = spawnSync('dump2dcm', ['-ll', 'warn', ...args, template, outFile], { encoding: 'buffer' });
    const stderr = r.stderr.toString('utf8');
    if (r.status !== 0 || /^[EWF]: /m.test(stderr) || !existsSync(outFile)) throw new Error(`dump2dcm failed: ${stderr.slice(0, 500)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** dcmftest: "yes" when the file is a DICOM Part 10 file. */
export function isPart10(file: string): boolean {
  return execFileSync('dcmftest', [file], { encoding: 'utf8' }).includes('yes');
}
