/** Tokens and lookup codes: 128 random bits, nothing else in the link, and no Math.random near them. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLookupCode, hashToken, LOOKUP_ALPHABET, newLookupCode, newToken, resultUrl } from '../../electron/services/slips/slip-tokens';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('result tokens', () => {
  it('1,000,000 tokens: no collision, each 16 random bytes in base64url', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) seen.add(newToken());
    expect(seen.size).toBe(1_000_000);
    const t = newToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(t, 'base64url')).toHaveLength(16);
  });

  it('the link is the base URL, /r/ and the token, nothing else', () => {
    const t = newToken();
    expect(resultUrl('https://ketqua.example.vn/', t)).toBe(`https://ketqua.example.vn/r/${t}`);
    expect(resultUrl('https://ketqua.example.vn/portal', t)).toBe(`https://ketqua.example.vn/portal/r/${t}`);
  });

  it('stores SHA-256 hex of the token', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('lookup codes: 8 symbols from an alphabet without 0/O/1/I, evenly used', () => {
    expect(LOOKUP_ALPHABET).toHaveLength(32);
    expect(LOOKUP_ALPHABET).not.toMatch(/[01OI]/);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const c = newLookupCode();
      expect(c).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
      for (const ch of c) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 160,000 symbols over 32: 5,000 each expected; a biased mapping would miss this by far.
    for (const n of counts.values()) expect(Math.abs(n - 5000)).toBeLessThan(400);
    expect(formatLookupCode('ABCD2345')).toBe('ABCD-2345');
  });
});

describe('no Math.random in the slip and printer code', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });

  it.each(['electron/services/slips', 'electron/services/printer'])('%s', (dir) => {
    const list = files(join(ROOT, dir));
    expect(list.length).toBeGreaterThan(3);
    const offenders = list.filter((p) => /Math\s*\.\s*random/.test(readFileSync(p, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
