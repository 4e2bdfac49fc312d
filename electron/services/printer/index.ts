/** The printer capability's public face: ports, the ESC/POS encoder, the service and its errors. */
export type { PrinterPort, PaperState, SendOptions, SendResult, PortStatus } from './printer-port';
export { TcpPrinterPort, parseTcpUri } from './tcp-printer-port';
export { DevicePrinterPort } from './device-printer-port';
export { openPrinterPort } from './open-printer-port';
export { createPrinterService, type PrinterService, type PrinterStatusReport, type PrintOutcome } from './printer-service';
export { PrinterFailure, toPrinterFailure, type PrinterErrorCode } from './printer-errors';
export { encodeRasterJob, MAX_BAND_ROWS } from './escpos';
export { type BitRaster, getBit, rowBytes } from './bit-raster';
export { listPrintJobs, type PrintJobRecord } from './print-job-log';
