/**
 * A streaming ZIP writer that stores (no compression: DICOM pixel data is already dense, and a
 * phone should not wait for deflate) — PKWARE APPNOTE 6.3.10: each entry is a local file header
 * (§4.3.7) with general-purpose bit 3 set, its bytes, then a data descriptor (§4.3.9) carrying the
 * CRC-32 and sizes known only at the end; the central directory (§4.3.12) and end record (§4.3.16)
 * close the archive. Memory use is one chunk plus one small record per entry, whatever the size.
 *
 * ZIP64 (§4.4.8 "if a value is 0xFFFFFFFF, look in the ZIP64 extended information"), only where a
 * value needs it, so a usual study stays a classic ZIP every reader opens:
 *  - an entry of 4 GiB or more ends with a ZIP64 data descriptor (8-byte sizes, §4.3.9.2) — its
 *    size is unknown when the local header streams out, so, as Go's archive/zip and Java's
 *    ZipOutputStream do, the local header carries none and the central directory is authoritative;
 *  - a central directory entry whose size or local-header offset reaches 0xFFFFFFFF writes that
 *    field as 0xFFFFFFFF and the real value in a ZIP64 extended information extra field (§4.5.3,
 *    id 0x0001: original size, compressed size, offset — only those that overflow, in that order),
 *    and says version 4.5 is needed (§4.4.3.2);
 *  - 65,535 entries or more, or a central directory at or past 4 GiB, adds the ZIP64 end of
 *    central directory record (§4.3.14) and its locator (§4.3.15) before the classic end record,
 *    whose overflowing fields are then 0xFFFF / 0xFFFFFFFF (§4.4.1.4).
 * The thresholds are parameters only so tests can force ZIP64 on a small archive.
 */
import { crc32 } from 'node:zlib';

/** Bit 3: sizes and CRC follow in a data descriptor. Bit 11: the name is UTF-8. */
const FLAGS = 0x0008 | 0x0800;
const VERSION = 20;
const VERSION_ZIP64 = 45;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

export interface ZipLimits {
  /** A size or offset at or above this is written in ZIP64 form. APPNOTE: 0xFFFFFFFF. */
  readonly max32: number;
  /** An entry count at or above this needs the ZIP64 end record. APPNOTE: 0xFFFF. */
  readonly max16: number;
}

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
  /** Central directory, the ZIP64 end records when needed, and the end-of-central-directory record. */
  finish(): Buffer;
}

function dos(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export function createZipStoreWriter(limits: Partial<ZipLimits> = {}): ZipStoreWriter {
  const max32 = Math.min(limits.max32 ?? MAX32, MAX32);
  const max16 = Math.min(limits.max16 ?? MAX16, MAX16);
  const entries: Entry[] = [];
  let offset = 0;
  let current: Entry | null = null;

  return {
    begin(name, modified) {
      if (current) throw new Error('previous entry not ended');
      const nameBytes = Buffer.from(name, 'utf8');
      if (nameBytes.length > MAX16) throw new Error('entry name too long');
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
      offset += out.length;
      return out;
    },
    data(chunk) {
      if (!current) throw new Error('no entry begun');
      current.crc = crc32(chunk, current.crc);
      current.size += chunk.length;
      offset += chunk.length;
      return chunk;
    },
    end() {
      if (!current) throw new Error('no entry begun');
      let d: Buffer;
      if (current.size >= max32) {
        d = Buffer.alloc(24);
        d.writeBigUInt64LE(BigInt(current.size), 8);
        d.writeBigUInt64LE(BigInt(current.size), 16);
      } else {
        d = Buffer.alloc(16);
        d.writeUInt32LE(current.size, 8);
        d.writeUInt32LE(current.size, 12);
      }
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(current.crc >>> 0, 4);
      entries.push(current);
      current = null;
      offset += d.length;
      return d;
    },
    finish() {
      if (current) throw new Error('entry not ended');
      const cdStart = offset;
      const parts: Buffer[] = [];
      for (const e of entries) {
        const bigSize = e.size >= max32;
        const bigOffset = e.offset >= max32;
        // §4.5.3: original size, compressed size (stored: the same), then the header offset.
        const extra64: bigint[] = [...(bigSize ? [BigInt(e.size), BigInt(e.size)] : []), ...(bigOffset ? [BigInt(e.offset)] : [])];
        const extra = Buffer.alloc(extra64.length > 0 ? 4 + 8 * extra64.length : 0);
        if (extra64.length > 0) {
          extra.writeUInt16LE(0x0001, 0);
          extra.writeUInt16LE(8 * extra64.length, 2);
          extra64.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + 8 * i));
        }
        const version = extra64.length > 0 ? VERSION_ZIP64 : VERSION;
        const c = Buffer.alloc(46);
        c.writeUInt32LE(0x02014b50, 0);
        c.writeUInt16LE(version, 4);
        c.writeUInt16LE(version, 6);
        c.writeUInt16LE(FLAGS, 8);
        c.writeUInt16LE(0, 10);
        c.writeUInt16LE(e.dosTime, 12);
        c.writeUInt16LE(e.dosDate, 14);
        c.writeUInt32LE(e.crc >>> 0, 16);
        c.writeUInt32LE(bigSize ? MAX32 : e.size, 20);
        c.writeUInt32LE(bigSize ? MAX32 : e.size, 24);
        c.writeUInt16LE(e.name.length, 28);
        c.writeUInt16LE(extra.length, 30);
        c.writeUInt32LE(bigOffset ? MAX32 : e.offset, 42);
        parts.push(c, e.name, extra);
      }
      const cdSize = parts.reduce((n, p) => n + p.length, 0);
      const end = offset + cdSize;
      const manyEntries = entries.length >= max16;
      const bigCdSize = cdSize >= max32;
      const bigCdStart = cdStart >= max32;
      if (manyEntries || bigCdSize || bigCdStart) {
        const z = Buffer.alloc(56);
        z.writeUInt32LE(0x06064b50, 0);
        z.writeBigUInt64LE(44n, 4); // size of the record after this field
        z.writeUInt16LE(VERSION_ZIP64, 12);
        z.writeUInt16LE(VERSION_ZIP64, 14);
        // disk numbers (16, 20) stay 0: one archive, one "disk"
        z.writeBigUInt64LE(BigInt(entries.length), 24);
        z.writeBigUInt64LE(BigInt(entries.length), 32);
        z.writeBigUInt64LE(BigInt(cdSize), 40);
        z.writeBigUInt64LE(BigInt(cdStart), 48);
        const loc = Buffer.alloc(20);
        loc.writeUInt32LE(0x07064b50, 0);
        loc.writeBigUInt64LE(BigInt(end), 8);
        loc.writeUInt32LE(1, 16);
        parts.push(z, loc);
      }
      const eocd = Buffer.alloc(22);
      eocd.writeUInt32LE(0x06054b50, 0);
      eocd.writeUInt16LE(manyEntries ? MAX16 : entries.length, 8);
      eocd.writeUInt16LE(manyEntries ? MAX16 : entries.length, 10);
      eocd.writeUInt32LE(bigCdSize ? MAX32 : cdSize, 12);
      eocd.writeUInt32LE(bigCdStart ? MAX32 : cdStart, 16);
      parts.push(eocd);
      const out = Buffer.concat(parts);
      offset += out.length;
      return out;
    },
  };
}
