/**
 * The printer test page: no patient data, just what an installer checks — the paper width (a
 * frame and a ruler every 8 dots = 1 mm), darkness of text in both weights, Vietnamese, the cut,
 * and a QR a phone should read at the slip's module size.
 */
import QRCode from 'qrcode';
import type { BitRaster } from '../printer/bit-raster';
import { SlipPage } from './slip-page';
import { QR_ERROR_CORRECTION, QR_QUIET_MODULES, qrModuleDots, type SlipWidth } from './slip-layout';
import { formatDateTime } from './slip-content';

export const TEST_PAGE_QR_TEXT = 'RADIOLOGY-DESK-TEST-PAGE';

export function renderTestPage(opts: { widthDots: SlipWidth; clinicName: string; at: number; timeZone: string }): BitRaster {
  const { widthDots } = opts;
  const size = widthDots === 576 ? 24 : 20;
  const page = new SlipPage(widthDots, 8);
  page.space(12); // below the ruler ticks
  page.paragraph('TRANG IN THỬ · TEST PAGE', { size: size + 4, bold: true, align: 'center' });
  page.paragraph(opts.clinicName, { size, align: 'center' });
  page.paragraph(`${widthDots === 576 ? '80' : '58'} mm · ${widthDots} dots · ${formatDateTime(opts.at, opts.timeZone)}`, { size, align: 'center' });
  page.paragraph('Chữ thường: Ấ Ầ Ẩ Ẫ Ậ ư ơ đ — Nguyễn Thị Phương Thảo', { size });
  page.paragraph('Chữ đậm: Ấ Ầ Ẩ Ẫ Ậ ư ơ đ — Nguyễn Thị Phương Thảo', { size, bold: true });
  page.rule(2, 6);
  const symbol = QRCode.create(TEST_PAGE_QR_TEXT, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  page.qr(symbol.modules, qrModuleDots(symbol.modules.size, widthDots), QR_QUIET_MODULES);
  const raster = page.render();
  drawFrameAndRuler(raster);
  return raster;
}

/** A 1-dot frame at the very edges (shows whether the head prints the full width) and mm ticks. */
function drawFrameAndRuler(r: BitRaster): void {
  const stride = Math.ceil(r.width / 8);
  const set = (x: number, y: number) => {
    r.bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  };
  for (let x = 0; x < r.width; x++) {
    set(x, 0);
    set(x, r.height - 1);
    if (x % 8 === 0) for (let y = 1; y < (x % 80 === 0 ? 16 : 8); y++) set(x, y);
  }
  for (let y = 0; y < r.height; y++) {
    set(0, y);
    set(r.width - 1, y);
  }
}
