import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, DUMMY_PASSWORD_HASH } from './passwords';

describe('scrypt passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const h1 = await hashPassword('mật khẩu dài đủ');
    const h2 = await hashPassword('mật khẩu dài đủ');
    expect(h1).not.toBe(h2);
    expect(h1).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('mật khẩu dài đủ', h1)).toBe(true);
    expect(await verifyPassword('mật khẩu dài đủ'.normalize('NFD'), h1)).toBe(true);
    expect(await verifyPassword('mat khau dai du', h1)).toBe(false);
  });
  it('rejects malformed stored hashes and the dummy', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', DUMMY_PASSWORD_HASH)).toBe(false);
  });
});
