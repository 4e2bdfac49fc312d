/**
 * The device-file port (USB printer class, serial), against real files: a regular file stands in
 * for the device, a FIFO with no reader for a printer that blocks. The job is written once; a
 * device that only opens after the timeout gets nothing (no "ghost" print later).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { DevicePrinterPort } from '../../electron/services/printer/device-printer-port';
import { openPrinterPort } from '../../electron/services/printer/open-printer-port';
import { TcpPrinterPort } from '../../electron/services/printer/tcp-printer-port';
import { tempDir } from '../support/temp-dir';

const options = { timeoutMs: 500, readStatus: true };
let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('raddesk-dev-');
});
afterEach(() => dir.remove());

describe('device printer port', () => {
  it('writes the job once to an existing device', async () => {
    const dev = join(dir.path, 'lp0');
    writeFileSync(dev, '');
    const port = new DevicePrinterPort(dev);
    await expect(port.send(Uint8Array.of(0x1b, 0x40, 0x0a), options)).resolves.toEqual({ confirmed: false, paper: 'unknown' });
    expect([...readFileSync(dev)]).toEqual([0x1b, 0x40, 0x0a]);
    await expect(port.status()).resolves.toEqual({ reachable: true, answered: false, paper: 'unknown' });
  });

  it('a missing device is PRINTER_OFFLINE, and is not created', async () => {
    const port = new DevicePrinterPort(join(dir.path, 'ttyUSB9'));
    await expect(port.send(Uint8Array.of(1), options)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE', jobSent: false });
    await expect(port.status()).resolves.toMatchObject({ reachable: false });
    expect(() => readFileSync(join(dir.path, 'ttyUSB9'))).toThrow();
  });

  it('a device that blocks: PRINTER_TIMEOUT, and nothing is written when it finally opens', async () => {
    const fifo = join(dir.path, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const port = new DevicePrinterPort(fifo);
    await expect(port.send(Uint8Array.of(0x1b, 0x40), options)).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT', jobSent: false });
    // The device comes back: the abandoned job must not print now.
    const reader = await open(fifo, 'r');
    const got = await reader.readFile();
    await reader.close();
    expect(got.length).toBe(0);
  });

  it('empty jobs are refused without touching the device', async () => {
    await expect(new DevicePrinterPort(join(dir.path, 'none')).send(new Uint8Array(0), options)).rejects.toMatchObject({ code: 'PRINTER_EMPTY_JOB' });
  });
});

describe('printer.interface', () => {
  it('tcp:// is a network printer (default port 9100), a path is a device, others are refused', () => {
    expect(openPrinterPort('tcp://192.168.1.50')).toMatchObject({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(openPrinterPort('tcp://printer.local:9101/')).toBeInstanceOf(TcpPrinterPort);
    expect(openPrinterPort('/dev/usb/lp0')).toMatchObject({ kind: 'device', path: '/dev/usb/lp0' });
    expect(() => openPrinterPort('')).toThrow(expect.objectContaining({ code: 'PRINTER_NOT_CONFIGURED' }));
    expect(() => openPrinterPort('printer:EPSON')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => openPrinterPort('http://printer/')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
