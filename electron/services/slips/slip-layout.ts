/**
 * The one layout of the result slip. Preview, print and the golden images all come from
 * `renderSlip`, so what the operator sees is what the printer gets, dot for dot.
 *
 * Paper: 80 mm rolls print 576 dots, 58 mm rolls 384 dots (203 dpi, 8 dots/mm).
 */
import QRCode from 'qrcode';
import { DeskError } from '../../../shared/errors';
import type { BitRaster } from '../printer/bit-raster';
import type { SlipContent } from './slip-content';
import { SlipPage, type TextStyle } from './slip-page';

export type SlipWidth = 576 | 384;

interface Sizes {
  readonly margin: number;
  readonly clinic: number;
  readonly small: number;
  readonly title: number;
  readonly body: number;
  readonly name: number;
  readonly code: number;
  readonly url: number;
}

const SIZES: Record<SlipWidth, Sizes> = {
  576: { margin: 8, clinic: 28, small: 21, title: 30, body: 24, name: 28, code: 34, url: 20 },
  384: { margin: 4, clinic: 23, small: 18, title: 24, body: 20, name: 23, code: 28, url: 17 },
};

/**
 * QR symbol: error correction M (15 % of the symbol may be damaged: a smudge or fold), at least
 * 6 dots per module (0.75 mm; phones read it first time), a 4-module quiet zone (ISO/IEC 18004
 * §6.3.8). Modules grow up to 10 dots while the symbol stays within ~62 % of the paper width.
 */
export const QR_ERROR_CORRECTION = 'M' as const;
export const QR_MIN_MODULE_DOTS = 6;
export const QR_MAX_MODULE_DOTS = 10;
export const QR_QUIET_MODULES = 4;

export function qrModuleDots(symbolModules: number, widthDots: number): number {
  const total = symbolModules + 2 * QR_QUIET_MODULES;
  return Math.max(QR_MIN_MODULE_DOTS, Math.min(QR_MAX_MODULE_DOTS, Math.floor((widthDots * 0.62) / total)));
}

/** Where the QR landed, for tests that check its modules dot by dot. */
export interface SlipRaster extends BitRaster {
  readonly qr: { readonly x: number; readonly y: number; readonly moduleDots: number; readonly modules: number };
}

export function renderSlip(content: SlipContent, widthDots: SlipWidth): SlipRaster {
  const s = SIZES[widthDots];
  const page = new SlipPage(widthDots, s.margin);
  const centered = (size: number, bold = false): TextStyle => ({ size, bold, align: 'center' });
  const label: TextStyle = { size: s.body };
  const value: TextStyle = { size: s.body, bold: true };

  page.paragraph(content.clinic.name, centered(s.clinic, true));
  for (const line of content.clinic.lines) page.paragraph(line, centered(s.small));
  page.rule();
  page.paragraph(content.title, centered(s.title, true));
  page.space(s.body / 2);

  page.field(...content.patientName, label, { size: s.name, bold: true });
  page.fieldPair(content.birthYear, content.sex, label, value);
  page.field(...content.patientID, label, value);
  page.field(...content.visitNumber, label, value);
  page.list(content.exams.label, content.exams.items, label, value);
  page.field(...content.examTime, label, value);
  page.rule();

  const symbol = QRCode.create(content.url, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const moduleDots = qrModuleDots(symbol.modules.size, widthDots);
  if ((symbol.modules.size + 2 * QR_QUIET_MODULES) * moduleDots > widthDots) {
    throw new DeskError('VALIDATION', { field: 'portal.baseUrl', detail: `too long for a QR on ${widthDots}-dot paper` }, { field: 'portal.baseUrl' });
  }
  const placed = page.qr(symbol.modules, moduleDots, QR_QUIET_MODULES);
  page.paragraph(content.scanInstruction, centered(s.body, true));
  page.space(s.body / 3);
  // The link written out for typing: when it does not fit one line, break it before the token.
  const cut = content.url.lastIndexOf('/') + 1;
  if (page.fits(content.url, centered(s.url)) || cut <= 0) page.paragraph(content.url, centered(s.url));
  else page.paragraph(content.url.slice(0, cut), centered(s.url)).paragraph(content.url.slice(cut), centered(s.url));
  page.space(s.body / 3);
  page.paragraph(`${content.lookupCode[0]}: ${content.lookupCode[1]}`, centered(s.code, true));
  page.paragraph(`${content.expiry[0]}: ${content.expiry[1]}`, centered(s.body));
  if (content.birthYearNotice) page.paragraph(content.birthYearNotice, centered(s.body, true));
  page.rule();
  if (content.technician) page.field(...content.technician, label, value);
  if (content.footer) page.paragraph(content.footer, centered(s.small));

  return { ...page.render(), qr: { x: placed.x, y: placed.y, moduleDots, modules: symbol.modules.size } };
}
