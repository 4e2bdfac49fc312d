/**
 * Golden slips: the layout at 80 mm (576 dots) and 58 mm (384 dots) and the test page, compared
 * pixel for pixel with PNGs a person has looked at (Vietnamese diacritics, wrapping, QR).
 * After a deliberate layout change: UPDATE_GOLDEN=1 npx vitest run test/slips/golden.test.ts,
 * then look at every file in test/slips/golden/ before committing them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { getBit, type BitRaster } from '../../electron/services/printer/bit-raster';
import { registerSlipFonts, BUNDLED_FONTS_DIR } from '../../electron/services/slips/slip-fonts';
import { buildSlipContent } from '../../electron/services/slips/slip-content';
import { renderSlip } from '../../electron/services/slips/slip-layout';
import { renderTestPage } from '../../electron/services/slips/test-page';
import { encodeRasterPng } from '../../electron/services/slips/raster-png';
import type { SlipVisit } from '../../electron/services/slips/visit-query';
import { settingsSchema } from '../../shared/settings-schema';
import { LONG_NAME, scanQr, THREE_EXAMS, TIME_ZONE } from './slip-fixtures';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const URL_ = 'https://ketqua.phongkham-hongduc.vn/r/q3Zx9_Lk2mPwT0aB7cDeFg';

const visit: SlipVisit = {
  id: 'v-golden',
  visitNumber: 'KB-2026-000123',
  patientID: 'BN00123456',
  patientName: LONG_NAME,
  birthDate: '19850312',
  sex: 'F',
  studyInstanceUID: '',
  procedureName: THREE_EXAMS[0]!,
  scheduledAt: Date.UTC(2026, 0, 15, 2, 0),
  createdAt: 0,
  studies: [
    { studyInstanceUID: '1.2.3.1', studyDescription: THREE_EXAMS[1]!, studyDate: '20260115', studyTime: '093015' },
    { studyInstanceUID: '1.2.3.2', studyDescription: THREE_EXAMS[2]!, studyDate: '20260115', studyTime: '094000' },
  ],
};

function slip(widthDots: 576 | 384, language: 'vi' | 'en'): BitRaster {
  registerSlipFonts(BUNDLED_FONTS_DIR);
  const settings = settingsSchema.parse({
    ui: { language },
    clinic: { name: 'Phòng khám Đa khoa Hồng Đức', address: '123 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh', phone: '028 3812 3456' },
    slips: { requireBirthYear: true },
    printer: { widthDots },
  });
  return renderSlip(
    buildSlipContent({ visit, settings, url: URL_, lookupCode: 'K7QM-X4PZ', expiresAt: Date.UTC(2027, 0, 15, 2, 0), technician: 'Trần Văn Đức', timeZone: TIME_ZONE }),
    widthDots,
  );
}

function compareWithGolden(name: string, raster: BitRaster): void {
  const file = `${GOLDEN}${name}.png`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, encodeRasterPng(raster));
  }
  expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1 and look at it`).toBe(true);
  const golden = PNG.sync.read(readFileSync(file));
  expect({ width: golden.width, height: golden.height }).toEqual({ width: raster.width, height: raster.height });
  let differing = 0;
  for (let y = 0; y < raster.height; y++) {
    for (let x = 0; x < raster.width; x++) {
      const black = golden.data[(y * golden.width + x) * 4]! < 128;
      if (black !== getBit(raster, x, y)) differing++;
    }
  }
  expect(differing, `${differing} dots differ from ${name}.png`).toBe(0);
}

describe('golden slips', () => {
  it.each([
    ['slip-576-vi', 576, 'vi'],
    ['slip-384-vi', 384, 'vi'],
    ['slip-576-en', 576, 'en'],
  ] as const)('%s', (name, width, language) => {
    const raster = slip(width, language);
    expect(scanQr(raster)).toBe(URL_);
    compareWithGolden(name, raster);
  });

  it('test-page-576', () => {
    registerSlipFonts(BUNDLED_FONTS_DIR);
    const raster = renderTestPage({ widthDots: 576, clinicName: 'Phòng khám Đa khoa Hồng Đức', at: Date.UTC(2026, 0, 15, 2, 0), timeZone: TIME_ZONE });
    expect(scanQr(raster)).toBe('RADIOLOGY-DESK-TEST-PAGE');
    compareWithGolden('test-page-576', raster);
  });
});
