/** One thumbnail, from a stored file to PNG bytes: runs inside the thumbnail worker. */
import { readFile } from 'node:fs/promises';
import { decodeFirstFrame } from './decode-frame';
import { readPixelModule } from './pixel-module';
import { encodePng, thumbnailOf } from './thumbnail-image';

export async function makeThumbnail(path: string): Promise<Buffer> {
  const m = readPixelModule(await readFile(path));
  return encodePng(thumbnailOf(m, await decodeFirstFrame(m)));
}
