import { it } from 'vitest';
it('w', async () => { await import('./main'); });
