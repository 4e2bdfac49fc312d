/** Reading a request body with a size limit (a desk batch, a login form). */
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** application/x-www-form-urlencoded → first value of each field. */
export async function readForm(req: IncomingMessage, limit = 16 * 1024): Promise<Map<string, string>> {
  const params = new URLSearchParams((await readBody(req, limit)).toString('utf8'));
  const out = new Map<string, string>();
  for (const [k, v] of params) if (!out.has(k)) out.set(k, v);
  return out;
}
