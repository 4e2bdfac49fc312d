/**
 * A streaming ZIP writer that stores (no compression: DICOM pixel data is already dense, and a
 * phone should not wait for deflate) — PKWARE APPNOTE 6.3.10: each entry is a local file header
 * (§4.3.7) with general-purpose bit 3 set, its bytes, then a data descriptor (§4.3.9) carrying the
 * CRC-32 and sizes known only at the end; the central directory (§4.3.12) and end record (§4.3.16)
 * close the archive. Memory use is one chunk, whatever the study's size.
 *
 * Without ZIP64 an archive is limited to 4 GiB and 65,535 entries; past that the writer throws
 * rather than produce a corrupt file (an X-ray study is far smaller).
 */
import { crc32 } from 'node:zlib';

const LIMIT_32 = 0xffffffff;
/** Bit 3: sizes and CRC follow in a data descriptor. Bit 11: the name is UTF-8. */
const FLAGS = 0x0008 | 0x0800;
const VERSION = 20;

interface Entry {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
  dosTime: number;
  dosDate: number;
}

export interface ZipStoreWriter {
  /** Bytes of a new entry's local header. */
  begin(name: string, modified: Date): Buffer;
  /** Account for one chunk of the current entry; returns it for writing. */
  data(chunk: Buffer): Buffer;
  /** The current entry's data descriptor. */
  end(): Buffer;
  /** Central directory and end-of-central-directory record. */
  finish(): Buffer;
}

export class ZipLimitError extends Error {}

function dos(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export function createZipStoreWriter(): ZipStoreWriter {
  const entries: Entry[] = [];
  let offset = 0;
  let current: Entry | null = null;

  const advance = (n: number) => {
    offset += n;
    if (offset > LIMIT_32) throw new ZipLimitError('archive larger than 4 GiB');
  };

  return {
    begin(name, modified) {
      if (current) throw new Error('previous entry not ended');
      if (entries.length >= 0xffff) throw new ZipLimitError('more than 65,535 entries');
      const nameBytes = Buffer.from(name, 'utf8');
      const { time, date } = dos(modified);
      current = { name: nameBytes, crc: 0, size: 0, offset, dosTime: time, dosDate: date };
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(VERSION, 4);
      h.writeUInt16LE(FLAGS, 6);
      h.writeUInt16LE(0, 8); // method 0: stored
      h.writeUInt16LE(time, 10);
      h.writeUInt16LE(date, 12);
      // CRC-32 and sizes are zero here; the data descriptor carries them (bit 3).
      h.writeUInt16LE(nameBytes.length, 26);
      const out = Buffer.concat([h, nameBytes]);
      advance(out.length);
      return out;
    },
    data(chunk) {
      if (!current) throw new Error('no entry begun');
      current.crc = crc32(chunk, current.crc);
      current.size += chunk.length;
      if (current.size > LIMIT_32) throw new ZipLimitError('entry larger than 4 GiB');
      advance(chunk.length);
      return chunk;
    },
    end() {
      if (!current) throw new Error('no entry begun');
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(current.crc >>> 0, 4);
      d.writeUInt32LE(current.size, 8);
      d.writeUInt32LE(current.size, 12);
      entries.push(current);
      current = null;
      advance(d.length);
      return d;
    },
    finish() {
      if (current) throw new Error('entry not ended');
      const cdStart = offset;
      const parts: Buffer[] = [];
      for (const e of entries) {
        const c = Buffer.alloc(46);
        c.writeUInt32LE(0x02014b50, 0);
        c.writeUInt16LE(VERSION, 4);
        c.writeUInt16LE(VERSION, 6);
        c.writeUInt16LE(FLAGS, 8);
        c.writeUInt16LE(0, 10);
        c.writeUInt16LE(e.dosTime, 12);
        c.writeUInt16LE(e.dosDate, 14);
        c.writeUInt32LE(e.crc >>> 0, 16);
        c.writeUInt32LE(e.size, 20);
        c.writeUInt32LE(e.size, 24);
        c.writeUInt16LE(e.name.length, 28);
        c.writeUInt32LE(e.offset, 42);
        parts.push(c, e.name);
      }
      const cd = Buffer.concat(parts);
      advance(cd.length);
      const eocd = Buffer.alloc(22);
      eocd.writeUInt32LE(0x06054b50, 0);
      eocd.writeUInt16LE(entries.length, 8);
      eocd.writeUInt16LE(entries.length, 10);
      eocd.writeUInt32LE(cd.length, 12);
      eocd.writeUInt32LE(cdStart, 16);
      return Buffer.concat([cd, eocd]);
    },
  };
}
