/**
 * Every desk setting, in one schema. Defaults make a fresh desk work with no configuration.
 * Secrets (`pacs.password`, `pacs.bearerToken`, `server.apiKey`) are stored here but never sent
 * to the renderer: `publicSettings()` replaces each with whether it is set.
 */
import { z } from 'zod';

const aet = z.string().regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, 'AE title: 1–16 ASCII characters, no backslash');
const port = z.number().int().min(1).max(65535);
const httpUrl = z.union([z.literal(''), z.url({ protocol: /^https?$/ })]);

/**
 * The editable texts of the result slip, one set per UI language (the slip is printed in
 * `ui.language`). `{phone}` in the footer is replaced by `clinic.phone`.
 */
const slipText = (fallback: string) => z.string().trim().min(1).max(200).default(fallback);
const slipTexts = (d: { title: string; scanInstruction: string; birthYearNotice: string; footer: string }) =>
  z
    .object({
      title: slipText(d.title),
      scanInstruction: slipText(d.scanInstruction),
      birthYearNotice: slipText(d.birthYearNotice),
      footer: slipText(d.footer),
    })
    .prefault({});

export const settingsSchema = z.object({
  ingest: z
    .object({
      /** Export folders watched for new DICOM files. Empty means `<data>/export`. */
      watchFolders: z.array(z.string().min(1)).default([]),
      /** Polling instead of OS events: needed for most network shares. */
      usePolling: z.boolean().default(false),
      /** How long size and mtime must stay unchanged before a file is taken. */
      stableMs: z.number().int().min(200).max(600_000).default(2000),
      afterImport: z.enum(['move', 'delete', 'leave']).default('move'),
      scp: z
        .object({ enabled: z.boolean().default(false), aet: aet.default('RADDESK'), port: port.default(11112) })
        .prefault({}),
    })
    .prefault({}),
  pacs: z
    .object({
      /** DICOMweb root, e.g. http://pacs:8042/dicom-web. Empty: not configured. */
      dicomwebUrl: httpUrl.default(''),
      username: z.string().default(''),
      password: z.string().default(''),
      bearerToken: z.string().default(''),
      /** PEM file of a private CA the PACS certificate chains to. */
      caFile: z.string().default(''),
      timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
      concurrency: z.number().int().min(1).max(16).default(4),
    })
    .prefault({}),
  sync: z
    .object({
      sendPolicy: z.enum(['on-attach', 'immediately']).default('on-attach'),
      retentionDays: z.number().int().min(0).max(3650).default(7),
      diskWarnGB: z.number().min(0).default(20),
    })
    .prefault({}),
  worklist: z
    .object({
      host: z.string().default(''),
      port: port.default(104),
      calledAet: aet.default('WORKLIST'),
      callingAet: aet.default('RADDESK'),
      /** Station AE to filter on; empty: every station. */
      stationAet: z.string().default(''),
      modality: z.string().default('DX'),
      refreshMinutes: z.number().int().min(1).max(1440).default(5),
      /** Connect, association and reply timeout of each worklist C-FIND / C-ECHO. */
      timeoutMs: z.number().int().min(1000).max(120_000).default(10_000),
    })
    .prefault({}),
  printer: z
    .object({
      /** `tcp://host:9100`, a serial device path, or empty (not configured). */
      interface: z.string().default(''),
      type: z.enum(['epson', 'star']).default('epson'),
      widthDots: z.union([z.literal(576), z.literal(384)]).default(576),
      timeoutMs: z.number().int().min(500).max(60_000).default(5000),
      /**
       * Ask a network printer for paper status before a job (DLE EOT 4) and for confirmation after
       * it (GS r 1). Most ESC/POS network printers answer; turn off for one that never does: a job
       * then counts as sent once its bytes reach the connection, and paper is not checked.
       */
      readStatus: z.boolean().default(true),
    })
    .prefault({}),
  portal: z.object({ baseUrl: httpUrl.default('') }).prefault({}),
  server: z.object({ url: httpUrl.default(''), apiKey: z.string().default('') }).prefault({}),
  clinic: z
    .object({
      name: z.string().default('Phòng khám Đa khoa'),
      address: z.string().default(''),
      phone: z.string().default(''),
    })
    .prefault({}),
  slips: z
    .object({
      validDays: z.number().int().min(1).max(3650).default(365),
      requireBirthYear: z.boolean().default(false),
      template: z
        .object({
          vi: slipTexts({
            title: 'PHIẾU TRẢ KẾT QUẢ X-QUANG',
            scanInstruction: 'Quét mã QR bằng điện thoại để xem và tải ảnh X-quang',
            birthYearNotice: 'Trang kết quả sẽ hỏi năm sinh của người bệnh',
            footer: 'Mọi thắc mắc xin liên hệ {phone}',
          }),
          en: slipTexts({
            title: 'X-RAY RESULT SLIP',
            scanInstruction: 'Scan the QR code with your phone to view and download the X-ray images',
            birthYearNotice: "The result page will ask for the patient's year of birth",
            footer: 'Questions? Call us on {phone}',
          }),
        })
        .prefault({}),
    })
    .prefault({}),
  review: z.object({ requireQa: z.boolean().default(false) }).prefault({}),
  ui: z.object({ language: z.enum(['vi', 'en']).default('vi') }).prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;

/** The secret keys, as dotted paths. */
export const SECRET_PATHS = ['pacs.password', 'pacs.bearerToken', 'server.apiKey'] as const;

/** What the renderer may see: secrets replaced by whether they are set. */
export const publicSettingsSchema = settingsSchema.extend({
  pacs: settingsSchema.shape.pacs.unwrap().omit({ password: true, bearerToken: true }).extend({
    passwordSet: z.boolean(),
    bearerTokenSet: z.boolean(),
  }),
  server: settingsSchema.shape.server.unwrap().omit({ apiKey: true }).extend({ apiKeySet: z.boolean() }),
});
export type PublicSettings = z.output<typeof publicSettingsSchema>;

export function publicSettings(s: Settings): PublicSettings {
  const { password, bearerToken, ...pacs } = s.pacs;
  const { apiKey, ...server } = s.server;
  return {
    ...s,
    pacs: { ...pacs, passwordSet: password !== '', bearerTokenSet: bearerToken !== '' },
    server: { ...server, apiKeySet: apiKey !== '' },
  };
}

/** A deep partial of settings, as accepted by settings.update. Unknown keys are rejected. */
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type SettingsPatch = DeepPartial<Settings>;

function deepPartialOf(schema: z.ZodType): z.ZodType {
  const inner = schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault ? (schema.unwrap() as z.ZodType) : schema;
  if (inner instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, v] of Object.entries(inner.shape)) shape[k] = deepPartialOf(v as z.ZodType).optional();
    return z.strictObject(shape);
  }
  return inner;
}
export const settingsPatchSchema = deepPartialOf(settingsSchema) as z.ZodType<SettingsPatch>;
