/**
 * The Part-10 prefix for an object received over the network: 128-byte preamble, "DICM" and the
 * File Meta Information group (PS3.10 §7.1), always explicit VR little endian. A C-STORE carries
 * only the data set in the negotiated transfer syntax, so the SCP writes this first and then
 * streams the data set bytes after it unchanged.
 */

/** This desk's implementation class UID (a 2.25 UUID-derived root, PS3.5 §B.2). */
export const IMPLEMENTATION_CLASS_UID = '2.25.208337702944755736931302330611373645613';
export const IMPLEMENTATION_VERSION_NAME = 'RADDESK_0_1';

function element(group: number, elem: number, vr: string, value: Buffer): Buffer {
  const long = vr === 'OB';
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(elem, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(value.length, 8);
  else h.writeUInt16LE(value.length, 6);
  return Buffer.concat([h, value]);
}

/** UI values pad with NUL, other text with a space, to an even length (PS3.5 §6.2). */
function text(value: string, pad: 0x00 | 0x20): Buffer {
  const b = Buffer.from(value, 'latin1');
  return b.length % 2 === 0 ? b : Buffer.concat([b, Buffer.from([pad])]);
}

export function part10Prefix(sopClassUID: string, sopInstanceUID: string, transferSyntaxUID: string, sourceAet?: string): Buffer {
  const body = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 0x0002, 'UI', text(sopClassUID, 0x00)),
    element(0x0002, 0x0003, 'UI', text(sopInstanceUID, 0x00)),
    element(0x0002, 0x0010, 'UI', text(transferSyntaxUID, 0x00)),
    element(0x0002, 0x0012, 'UI', text(IMPLEMENTATION_CLASS_UID, 0x00)),
    element(0x0002, 0x0013, 'SH', text(IMPLEMENTATION_VERSION_NAME, 0x20)),
    ...(sourceAet ? [element(0x0002, 0x0016, 'AE', text(sourceAet.replace(/[^\x20-\x5b\x5d-\x7e]/g, '').slice(0, 16), 0x20))] : []),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', length), body]);
}
