/**
 * The STOW-RS body on real files: exact multipart framing and Content-Length for sizes around the
 * read buffer's, the same bytes through a consumer that holds each chunk a while (the two read
 * buffers are reused only once the writable is done with them), and a file that is missing or
 * shrank since it was recorded stops the body with LocalFileError. A consumer that goes away
 * without calling back — a PACS resetting the connection mid-body — ends the body too, rather than
 * leaving it waiting with its file open.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileError, type StowItem } from './pacs-client';
import { multipartBody } from './multipart-body';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multipart-body-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(size: number): StowItem & { bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4096) bytes.writeUInt32LE((i * 2654435761 + n) >>> 0, i);
  bytes[size - 1] = n & 0xff;
  const p = path.join(dir, `f${n++}.dcm`);
  fs.writeFileSync(p, bytes);
  return { path: p, size, sopInstanceUID: `1.2.3.${n}`, bytes };
}

/** A consumer that keeps each chunk for `delayMs` before copying it, as a slow socket would. */
function slowSink(delayMs: number) {
  const parts: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, cb) {
      setTimeout(() => {
        parts.push(Buffer.from(chunk));
        cb();
      }, delayMs);
    },
  });
  return { out, bytes: () => Buffer.concat(parts) };
}

/** The parts between the boundaries, as a STOW-RS server would split them. */
function splitParts(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)![1]!;
  const header = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  expect(body.subarray(body.length - boundary.length - 6).toString()).toBe(`--${boundary}--\r\n`);
  const parts: Buffer[] = [];
  let at = 0;
  while (body.subarray(at, at + header.length).equals(header)) {
    const start = at + header.length;
    const end = body.indexOf(delimiter, start);
    parts.push(body.subarray(start, end));
    at = end + 2;
  }
  return parts;
}

describe('multipartBody', () => {
  it('frames each file exactly, with the announced length, through a consumer that holds its chunks', async () => {
    const items = [file(1), file(1 << 20), file((1 << 20) + 1), file(2.5 * (1 << 20)), file(70_001)];
    const body = multipartBody(items);
    const sink = slowSink(2);
    await body.writeTo(sink.out);
    const bytes = sink.bytes();
    expect(bytes.length).toBe(body.contentLength);
    const parts = splitParts(bytes, body.contentType);
    expect(parts.map((p) => p.length)).toEqual(items.map((i) => i.size));
    parts.forEach((p, i) => expect(p.equals(items[i]!.bytes)).toBe(true));
  });

  it('stops with LocalFileError at a file that shrank since it was recorded, writing nothing after it', async () => {
    const ok = file(3000);
    const shrunk = file(3 << 20);
    const later = file(5000);
    fs.truncateSync(shrunk.path, 1 << 20);
    const sink = slowSink(0);
    const err = await multipartBody([ok, shrunk, later]).writeTo(sink.out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalFileError);
    expect((err as LocalFileError).sopInstanceUID).toBe(shrunk.sopInstanceUID);
    expect(sink.bytes().includes(later.bytes)).toBe(false);
  });

  it('stops with LocalFileError at a missing file', async () => {
    const gone = file(100);
    fs.rmSync(gone.path);
    const err = await multipartBody([gone]).writeTo(slowSink(0).out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalFileError);
  });

  it("rejects with the consumer's error when it fails mid-body", async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('connection reset'));
      },
    });
    out.on('error', () => undefined);
    const err = await multipartBody([file(3 << 20)]).writeTo(out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(LocalFileError);
  });

  it('ends when the consumer is destroyed while a write has not called back', async () => {
    let first = true;
    const out = new Writable({
      write(_chunk, _enc, _cb) {
        // Never calls back, as a request whose socket died; then the request closes.
        if (first) setTimeout(() => out.destroy(), 20);
        first = false;
      },
    });
    const err = await multipartBody([file(4 << 20)]).writeTo(out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(LocalFileError);
  });

  it('ends, every time, when a real server resets the connection mid-body', async () => {
    const server = net.createServer((socket) => {
      let seen = 0;
      socket.on('data', (d: Buffer) => {
        seen += d.length;
        if (seen > 256 * 1024) socket.resetAndDestroy();
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const items = [file(3 << 20), file(3 << 20)];
      for (let i = 0; i < 12; i++) {
        const body = multipartBody(items);
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/studies', headers: { 'content-type': body.contentType, 'content-length': body.contentLength } });
        req.on('error', () => undefined);
        const outcome = await Promise.race([
          body.writeTo(req).then(
            () => 'written',
            () => 'failed',
          ),
          new Promise((r) => setTimeout(() => r('hung'), 5000)),
        ]);
        expect(outcome).toBe('failed');
      }
    } finally {
      server.close();
    }
  });
});
