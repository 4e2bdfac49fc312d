/**
 * Texts of the patient's pages, Vietnamese first (the default) and English. Kept short and plain:
 * a patient reads them on a phone, often an older relative.
 */
export type Lang = 'vi' | 'en';

export const LANG_COOKIE = 'lang';

const vi = {
  htmlLang: 'vi',
  title: 'Kết quả X-quang',
  otherLang: 'English',
  otherLangCode: 'en',
  patient: 'Người bệnh',
  birthYear: 'Năm sinh',
  exam: 'Chỉ định',
  date: 'Ngày chụp',
  imageAlt: (n: number) => `Ảnh X-quang ${n}`,
  tapToZoom: 'Chạm vào ảnh để xem toàn màn hình, dùng hai ngón tay để phóng to.',
  downloadImage: 'Tải ảnh',
  downloadDicom: 'Tải DICOM cho bác sĩ',
  dicomNote: 'Tệp ZIP chứa ảnh gốc định dạng DICOM, dùng khi bác sĩ ở nơi khác cần xem.',
  privacy: 'Đây là trang kết quả riêng của bạn. Không chia sẻ phiếu có mã QR với người khác.',
  close: 'Đóng',
  pendingTitle: 'Ảnh đang được cập nhật',
  pendingBody: 'Ảnh chụp của bạn đang được chuyển lên hệ thống. Trang sẽ tự tải lại sau ít phút.',
  reload: 'Tải lại trang',
  invalidTitle: 'Không mở được kết quả',
  invalidBody:
    'Liên kết không hợp lệ, đã hết hạn hoặc đã bị thu hồi. Vui lòng quét lại mã QR trên phiếu, hoặc liên hệ phòng khám.',
  askTitle: 'Xác nhận năm sinh',
  askBody: 'Để bảo vệ thông tin, vui lòng nhập năm sinh của người bệnh (4 chữ số).',
  askLabel: 'Năm sinh',
  askSubmit: 'Xem kết quả',
  askWrong: (left: number) => `Năm sinh không đúng. Còn ${left} lần thử.`,
  lockedTitle: 'Tạm khóa',
  lockedBody: (minutes: number) => `Đã nhập sai năm sinh quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
  tooManyTitle: 'Quá nhiều yêu cầu',
  tooManyBody: 'Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.',
  errorTitle: 'Có lỗi xảy ra',
  errorBody: 'Hệ thống đang gặp sự cố. Vui lòng thử lại sau.',
  homeTitle: 'Xem kết quả X-quang',
  homeBody: 'Quét mã QR trên phiếu trả kết quả bằng camera điện thoại để xem ảnh X-quang của bạn.',
  imagesCount: (n: number) => `${n} ảnh`,
};

const en: typeof vi = {
  htmlLang: 'en',
  title: 'X-ray result',
  otherLang: 'Tiếng Việt',
  otherLangCode: 'vi',
  patient: 'Patient',
  birthYear: 'Birth year',
  exam: 'Exam',
  date: 'Date',
  imageAlt: (n) => `X-ray image ${n}`,
  tapToZoom: 'Tap an image to view it full screen; pinch with two fingers to zoom.',
  downloadImage: 'Download',
  downloadDicom: 'Download DICOM for your doctor',
  dicomNote: 'A ZIP file with the original DICOM images, for a doctor elsewhere who needs to see them.',
  privacy: 'This is your private result page. Do not share the slip with its QR code.',
  close: 'Close',
  pendingTitle: 'Images are on their way',
  pendingBody: 'Your images are being transferred. This page reloads by itself in a few minutes.',
  reload: 'Reload',
  invalidTitle: 'The result cannot be opened',
  invalidBody: 'The link is invalid, expired or revoked. Please scan the QR code on your slip again, or contact the clinic.',
  askTitle: 'Confirm the birth year',
  askBody: "To protect this information, please enter the patient's year of birth (4 digits).",
  askLabel: 'Birth year',
  askSubmit: 'Show the result',
  askWrong: (left) => `That birth year is not right. ${left} attempts left.`,
  lockedTitle: 'Temporarily locked',
  lockedBody: (minutes) => `Too many wrong birth years. Please try again in ${minutes} minutes.`,
  tooManyTitle: 'Too many requests',
  tooManyBody: 'Too many requests. Please try again in a few minutes.',
  errorTitle: 'Something went wrong',
  errorBody: 'The system has a problem. Please try again later.',
  homeTitle: 'View your X-ray result',
  homeBody: 'Scan the QR code on your result slip with your phone camera to see your X-ray images.',
  imagesCount: (n) => `${n} images`,
};

export type Texts = typeof vi;
export const TEXTS: Readonly<Record<Lang, Texts>> = { vi, en };

export function parseLang(v: string | undefined | null): Lang {
  return v === 'en' ? 'en' : 'vi';
}
