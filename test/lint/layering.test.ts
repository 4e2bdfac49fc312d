/** The lint rules that keep layering honest actually fire (a rule that never fires protects nothing). */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering lint', () => {
  it.each(['shared/contract/x.ts', 'electron/services/ingest/x.ts', 'electron/compose.ts', 'renderer/src/x.ts'])(
    'forbids importing electron in %s',
    async (file) => {
      expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", file)).toContain('no-restricted-imports');
    },
  );

  it('allows electron in electron/main and electron/preload', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'electron/main/x.ts')).toEqual([]);
    expect(await ruleIds("import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", 'electron/preload/x.ts')).toEqual([]);
  });

  it('forbids Node built-ins in shared/ and Math.random anywhere', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'shared/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds('export const t = Math.random();\n', 'electron/services/slips/x.ts')).toContain('no-restricted-syntax');
  });
});
