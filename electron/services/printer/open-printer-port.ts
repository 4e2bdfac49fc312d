/**
 * Chooses the port for `printer.interface`: `tcp://host[:port]` is a network printer, anything
 * else a device path. `printer:NAME` (a spooler queue through a native module) is not offered:
 * none of those modules installs here (FIELD-NOTES), and the spooler would hide every error.
 */
import { DeskError } from '../../../shared/errors';
import { DevicePrinterPort } from './device-printer-port';
import type { PrinterPort } from './printer-port';
import { parseTcpUri, TcpPrinterPort } from './tcp-printer-port';

export function openPrinterPort(iface: string): PrinterPort {
  const value = iface.trim();
  if (value === '') throw new DeskError('PRINTER_NOT_CONFIGURED');
  const tcp = parseTcpUri(value);
  if (tcp) return new TcpPrinterPort(tcp.host, tcp.port);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^printer:/i.test(value)) {
    throw new DeskError('VALIDATION', { field: 'printer.interface', detail: 'tcp://host:port or a device path' }, { field: 'printer.interface' });
  }
  return new DevicePrinterPort(value);
}
