/**
 * A ByteSource over an open file descriptor with a one-block cache: the framing walk reads many
 * small headers close together, and skipping a 15 MB PixelData value must not read it.
 */
import fs from 'node:fs';
import type { ByteSource } from './framing';

const BLOCK = 64 * 1024;

export function fileSource(fd: number, size: number): ByteSource {
  const block = Buffer.allocUnsafe(BLOCK);
  let blockStart = -1;
  let blockLen = 0;
  const readExact = (into: Buffer, position: number, length: number): number => {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, into, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  };
  return {
    size,
    read(position, length) {
      if (blockStart >= 0 && position >= blockStart && position + length <= blockStart + blockLen) {
        return block.subarray(position - blockStart, position - blockStart + length);
      }
      if (length > BLOCK) {
        const out = Buffer.allocUnsafe(length);
        const n = readExact(out, position, length);
        if (n < length) throw new Error('file shrank while being read');
        return out;
      }
      blockStart = position;
      blockLen = readExact(block, position, Math.min(BLOCK, size - position));
      if (blockLen < length) throw new Error('file shrank while being read');
      return block.subarray(0, length);
    },
  };
}
