/**
 * What the desk needs from a PACS, by role: store instances and say, per instance, what became of
 * each; list the instances a study holds; answer a connection test. The sync worker depends on this
 * interface only, so its tests can put a fault proxy (or any DICOMweb server) behind it.
 */
import { DeskError, type ErrorCode, type ErrorParams } from '../../../shared/errors';
import type { Settings } from '../../../shared/settings-schema';

export type PacsSettings = Settings['pacs'];

/** One instance to store: its UID (to match the response) and the file holding its Part-10 bytes. */
export interface StowItem {
  readonly sopInstanceUID: string;
  readonly path: string;
  /** Expected file size; a different size on disk is a local error, never sent. */
  readonly size: number;
}

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
}

/**
 * What became of one instance of a STOW-RS request (PS3.18 §10.5.3):
 * - stored: listed in ReferencedSOPSequence (0008,1199) — possibly with a WarningReason (0008,1196);
 * - failed: listed in FailedSOPSequence (0008,1198) with a FailureReason (0008,1197), or not listed
 *   at all (`listed: false`, judged from the HTTP status). `retryable` says whether sending the same
 *   bytes again may succeed (A7xx out of resources, 0110 processing failure, not acknowledged).
 */
export type InstanceOutcome =
  | { readonly kind: 'stored'; readonly warningReason: number | null }
  | {
      readonly kind: 'failed';
      readonly listed: boolean;
      readonly retryable: boolean;
      readonly failureReason: number | null;
      readonly error: ErrorInfo;
    };

export interface StowResult {
  readonly httpStatus: number;
  /** One entry per item sent, keyed by SOPInstanceUID. */
  readonly outcomes: ReadonlyMap<string, InstanceOutcome>;
}

/**
 * The request as a whole got no usable answer: unreachable, timed out, 5xx, 408/429, or refused for
 * reasons about the connection rather than the instances (credentials, TLS, not a DICOMweb root).
 * Nothing about the instances is known, except those the PACS still listed as stored.
 */
export class PacsRequestError extends DeskError {
  readonly httpStatus: number | null;
  /** Instances the response listed in ReferencedSOPSequence despite the status (they are stored). */
  readonly stored: ReadonlySet<string>;

  constructor(code: ErrorCode, params: ErrorParams, opts: { httpStatus?: number | null; stored?: ReadonlySet<string>; cause?: unknown } = {}) {
    super(code, params, { cause: opts.cause });
    this.name = 'PacsRequestError';
    this.httpStatus = opts.httpStatus ?? null;
    this.stored = opts.stored ?? new Set();
  }
}

/** A store file could not be read as expected; the instance is at fault, not the PACS. */
export class LocalFileError extends DeskError {
  readonly sopInstanceUID: string;

  constructor(sopInstanceUID: string, detail: string, cause?: unknown) {
    super('SYNC_FILE_MISSING', { detail }, { cause });
    this.name = 'LocalFileError';
    this.sopInstanceUID = sopInstanceUID;
  }
}

export interface PacsClient {
  /** The DICOMweb root without credentials, for messages. */
  readonly url: string;
  /** STOW-RS of these instances in one request. Throws PacsRequestError or LocalFileError. */
  store(items: readonly StowItem[]): Promise<StowResult>;
  /** QIDO-RS: the SOPInstanceUIDs the PACS holds for this study. Throws PacsRequestError. */
  instancesOfStudy(studyInstanceUID: string): Promise<Set<string>>;
  /** A cheap request that proves the root is a DICOMweb service we may use. Throws PacsRequestError. */
  probe(): Promise<void>;
  /** Closes idle connections. */
  close(): void;
}

export type PacsClientFactory = (settings: PacsSettings) => PacsClient;
