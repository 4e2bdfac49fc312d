/**
 * Why a received file was quarantined: one fixed code per file (issue 3), with a message the
 * operator can read in Vietnamese and English. The code is what automation and the UI key on;
 * the detail (an offset, a tag, a value length) helps whoever inspects the file later and never
 * carries patient-identifying text.
 */
import { QUARANTINE_REASONS, type QuarantineReason } from '../../../shared/contract/ingest';

export const REASON_CODES = QUARANTINE_REASONS;
export type ReasonCode = QuarantineReason;

const vi: Readonly<Record<ReasonCode, string>> = {
  NOT_DICOM: 'Không phải tệp DICOM',
  INCOMPLETE: 'Tệp DICOM bị cắt cụt (chưa ghi xong hoặc sao chép lỗi)',
  OVERSIZE_ELEMENT: 'Một phần tử DICOM khai báo độ dài vượt quá tệp',
  NESTING: 'Chuỗi lồng nhau quá sâu',
  BAD_CHARSET: 'Bộ ký tự (SpecificCharacterSet) không được hỗ trợ',
  MISSING_UID: 'Thiếu UID bắt buộc',
  BAD_UID: 'UID không hợp lệ',
  NO_PIXELDATA: 'Tệp không có dữ liệu ảnh (PixelData)',
  PIXEL_LENGTH_MISMATCH: 'Độ dài dữ liệu ảnh không khớp kích thước ảnh',
  PARSE_ERROR: 'Không đọc được tệp DICOM',
  CONFLICT: 'Trùng SOPInstanceUID với ảnh đã nhận nhưng nội dung khác',
};

const en: Readonly<Record<ReasonCode, string>> = {
  NOT_DICOM: 'Not a DICOM file',
  INCOMPLETE: 'Truncated DICOM file (still being written or a broken copy)',
  OVERSIZE_ELEMENT: 'A DICOM element declares a length beyond the file',
  NESTING: 'Sequences nested too deeply',
  BAD_CHARSET: 'Character set (SpecificCharacterSet) not supported',
  MISSING_UID: 'A required UID is missing',
  BAD_UID: 'Invalid UID',
  NO_PIXELDATA: 'The file has no image data (PixelData)',
  PIXEL_LENGTH_MISMATCH: 'Image data length does not match the image size',
  PARSE_ERROR: 'The DICOM file could not be read',
  CONFLICT: 'Same SOPInstanceUID as an image already received, but different content',
};

export interface ReasonMessages {
  readonly vi: string;
  readonly en: string;
}

/** Both languages; the detail (technical, not patient data) is appended in parentheses. */
export function reasonMessages(code: ReasonCode, detail = ''): ReasonMessages {
  const tail = detail ? ` (${detail})` : '';
  return { vi: vi[code] + tail, en: en[code] + tail };
}

/** "vi / en", the form the contract carries. */
export function bilingual(m: ReasonMessages): string {
  return `${m.vi} / ${m.en}`;
}

/** A file the desk will not accept, and why. Thrown by the checks, caught by the pipeline. */
export class Rejection extends Error {
  readonly reason: ReasonCode;
  readonly detail: string;
  constructor(reason: ReasonCode, detail = '') {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
    this.name = 'Rejection';
    this.reason = reason;
    this.detail = detail;
  }
}

export function isReasonCode(x: unknown): x is ReasonCode {
  return typeof x === 'string' && (REASON_CODES as readonly string[]).includes(x);
}
