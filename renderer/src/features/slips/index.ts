/** Phiếu kết quả / Result slips: the visit page's slip panel and the printer's part of Settings. */
export { SlipPanel } from './slip-panel';
export { PrinterTestPanel } from './printer-test-panel';
export { PrinterStatusLine } from './printer-status-line';
