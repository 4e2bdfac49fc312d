/**
 * Element and item encoding for the tag editor (PS3.5 §7.1.2 explicit VR, §7.1.3 implicit VR,
 * §7.5 items; little endian throughout). Values are padded to even length as PS3.5 §6.2 asks:
 * UI with NUL, OB with NUL, text with a space.
 */
import { ITEM, LONG_LENGTH_VRS, type DicomElement, type DicomItem } from './p10-structure';

/** Pads a value to even length with the VR's padding byte. */
export function padValue(value: Buffer, vr: string): Buffer {
  if (value.length % 2 === 0) return value;
  return Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0x00 : 0x20])]);
}

function tagBytes(tag: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(tag >>> 16, 0);
  b.writeUInt16LE(tag & 0xffff, 2);
  return b;
}

/** A complete element with a defined length. `value` must already be padded. */
export function encodeElement(tag: number, vr: string, value: Buffer, explicit: boolean): Buffer {
  if (!explicit) {
    const h = Buffer.alloc(8);
    tagBytes(tag).copy(h, 0);
    h.writeUInt32LE(value.length, 4);
    return Buffer.concat([h, value]);
  }
  if (LONG_LENGTH_VRS.has(vr)) {
    const h = Buffer.alloc(12);
    tagBytes(tag).copy(h, 0);
    h.write(vr, 4, 'latin1');
    h.writeUInt32LE(value.length, 8);
    return Buffer.concat([h, value]);
  }
  if (value.length > 0xffff) throw new RangeError(`value of ${vr} too long for a 16-bit length`);
  const h = Buffer.alloc(8);
  tagBytes(tag).copy(h, 0);
  h.write(vr, 4, 'latin1');
  h.writeUInt16LE(value.length, 6);
  return Buffer.concat([h, value]);
}

/** An item of defined length holding already-encoded elements. */
export function encodeItem(elements: readonly Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  const h = Buffer.alloc(8);
  tagBytes(ITEM).copy(h, 0);
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
}

/** A sequence of defined length holding already-encoded items. */
export function encodeSequence(tag: number, items: readonly Buffer[], explicit: boolean): Buffer {
  return encodeElement(tag, 'SQ', Buffer.concat(items), explicit);
}

/**
 * An existing element with a new value (or new item bytes), keeping its original header bytes —
 * tag, VR and reserved field — and rewriting only the length. For an undefined-length sequence
 * the header and delimiter are kept as they were.
 */
export function reencodeElement(bytes: Buffer, el: DicomElement, value: Buffer, explicit: boolean): Buffer {
  const header = Buffer.from(bytes.subarray(el.start, el.valueStart));
  if (el.undefinedLength) return Buffer.concat([header, value, bytes.subarray(el.valueEnd, el.end)]);
  if (!explicit) header.writeUInt32LE(value.length, 4);
  else if (el.headerLength === 12) header.writeUInt32LE(value.length, 8);
  else {
    if (value.length > 0xffff) throw new RangeError(`value of ${el.vr} too long for a 16-bit length`);
    header.writeUInt16LE(value.length, 6);
  }
  return Buffer.concat([header, value]);
}

/** An existing item with new element bytes: the header keeps its form, only a defined length changes. */
export function reencodeItem(bytes: Buffer, item: DicomItem, body: Buffer): Buffer {
  const header = Buffer.from(bytes.subarray(item.start, item.valueStart));
  if (item.undefinedLength) return Buffer.concat([header, body, bytes.subarray(item.valueEnd, item.end)]);
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}
