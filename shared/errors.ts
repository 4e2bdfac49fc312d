/**
 * The closed error union that crosses the contract edge.
 *
 * Services throw `DeskError` with a code and parameters; dispatch turns it into `DeskErrorShape`
 * with the message rendered in Vietnamese and English. Raw exception text never crosses: an
 * unexpected exception becomes `INTERNAL` and its detail stays in the log.
 */
import { errorMessages, type ErrorCode } from './error-messages';

export { ERROR_CODES, type ErrorCode } from './error-messages';

export type ErrorParams = Readonly<Record<string, string | number>>;

export interface DeskErrorShape {
  readonly code: ErrorCode;
  /** Both languages, Vietnamese first: "… / …". For logs, API clients and tests. */
  readonly message: string;
  readonly messages: { readonly vi: string; readonly en: string };
  /** The offending input path for VALIDATION errors, e.g. `films.0.count`. */
  readonly field?: string;
}

export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly field: string | undefined;

  constructor(code: ErrorCode, params: ErrorParams = {}, options: { field?: string; cause?: unknown } = {}) {
    super(renderMessage(code, params, 'en'), { cause: options.cause });
    this.name = 'DeskError';
    this.code = code;
    this.params = params;
    this.field = options.field;
  }

  toShape(): DeskErrorShape {
    const vi = renderMessage(this.code, this.params, 'vi');
    const en = renderMessage(this.code, this.params, 'en');
    return { code: this.code, message: `${vi} / ${en}`, messages: { vi, en }, ...(this.field ? { field: this.field } : {}) };
  }
}

export function isDeskError(e: unknown): e is DeskError {
  return e instanceof DeskError;
}

/** Fills `{name}` placeholders; an unknown placeholder is left visible rather than silently dropped. */
export function renderMessage(code: ErrorCode, params: ErrorParams, lang: 'vi' | 'en'): string {
  return errorMessages[lang][code].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}
