/**
 * Result slips: issue a token for a visit, draw the slip, print it, and keep the token's hash,
 * status and expiry (with the records the clinic server receives).
 *
 * Order of a print, chosen so that paper and records never disagree:
 *   1. draw and encode the slip (the raw token exists only in this call's memory);
 *   2. store the slip row + its `slip` record (one transaction) — before the printer is asked,
 *      so a slip that printed is always known, even if the desk dies mid-job;
 *   3. send to the printer, once. If the job surely did not leave (offline, no paper before the
 *      job, refused), the new token is revoked at once: nobody holds it. If it may have printed
 *      (timeout after sending), it stays active and the operator decides (reprint with reason).
 * A reprint revokes the visit's earlier slips only after step 3 put (or may have put) the new one
 * on paper, so a printer failure never leaves a patient with a dead slip and no new one.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Settings } from '../../../shared/settings-schema';
import type { SlipRecord, SlipSummary } from '../../../shared/contract/slips';
import { DeskError } from '../../../shared/errors';
import { encodeRasterJob } from '../printer/escpos';
import { PrinterFailure, toPrinterFailure } from '../printer/printer-errors';
import type { PrinterService, PrinterStatusReport } from '../printer/printer-service';
import type { PaperState } from '../printer/printer-port';
import { registerSlipFonts } from './slip-fonts';
import { buildSlipContent, displayName } from './slip-content';
import { renderSlip } from './slip-layout';
import { encodeRasterPng } from './raster-png';
import { renderTestPage } from './test-page';
import { formatLookupCode, hashToken, newLookupCode, newToken, resultUrl } from './slip-tokens';
import { getSlip, insertSlip, listSlips, liveSlipsOfVisit, lookupCodeTaken, revokeSlip, slipSummary } from './slip-store';
import { readSlipVisit, visitExams, visitStudyUIDs, type SlipVisit } from './visit-query';

const DAY_MS = 86_400_000;
/** Same length as a real token, so the preview's QR and link take exactly the printed space. */
export const PREVIEW_TOKEN = 'XEM-TRUOC-PREVIEW-0000';
/** 0 is not in the lookup alphabet: this can never be a real code. */
export const PREVIEW_LOOKUP_CODE = '0000-0000';

/** Who is acting, and where the handler wants the audit subject (patient) reported. */
export interface SlipCaller {
  readonly operatorId: string | null;
  readonly operatorName: string | null;
  audit(subject: { patientID: string; detail: Record<string, unknown> }): void;
}

export interface PrintedSlip {
  readonly slipId: string;
  readonly lookupCode: string;
  readonly expiresAt: number;
  readonly printJobId: string;
  readonly confirmed: boolean;
  readonly paper: PaperState;
}

export interface SlipsService {
  preview(visitId: string, caller: SlipCaller): { png: string; width: number; height: number };
  print(visitId: string, caller: SlipCaller): Promise<PrintedSlip>;
  reprint(target: { slipId: string } | { visitId: string }, reason: string, caller: SlipCaller): Promise<PrintedSlip & { revokedSlipIds: string[] }>;
  list(filter: { visitId?: string | undefined; limit: number }): SlipSummary[];
  revoke(slipId: string, reason: string, caller: SlipCaller): SlipSummary;
  testPage(): Promise<{ printJobId: string; confirmed: boolean; paper: PaperState }>;
  printerStatus(): Promise<PrinterStatusReport>;
}

export interface SlipsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  settings: { get(): Settings };
  printer: PrinterService;
  /** Folder holding NotoSans-Regular.ttf and NotoSans-Bold.ttf. */
  fontsDir: string;
  /** IANA zone for dates on the slip; defaults to the system's. */
  timeZone?: string;
}

export function createSlips({ db, clock, logger, settings, printer, fontsDir, timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone }: SlipsDeps): SlipsService {
  /** Visits with a print under way: a second click must not issue a second live token. */
  const inFlight = new Set<string>();

  /** Reads the visit and names its patient for the audit record, before anything can fail. */
  function prepare(visitId: string, caller: SlipCaller): { s: Settings; visit: SlipVisit } {
    const s = settings.get();
    const visit = readSlipVisit(db, visitId);
    if (!visit) throw new DeskError('NOT_FOUND', { what: 'lượt khám / visit' });
    caller.audit({ patientID: visit.patientID, detail: { visitId: visit.id } });
    if (s.portal.baseUrl === '') throw new DeskError('PORTAL_NOT_CONFIGURED');
    registerSlipFonts(fontsDir);
    return { s, visit };
  }

  function draw(s: Settings, visit: SlipVisit, token: string, lookupCode: string, expiresAt: number, technician: string | null) {
    const content = buildSlipContent({ visit, settings: s, url: resultUrl(s.portal.baseUrl, token), lookupCode, expiresAt, technician, timeZone });
    return renderSlip(content, s.printer.widthDots);
  }

  function uniqueLookupCode(): string {
    for (let i = 0; i < 8; i++) {
      const code = newLookupCode();
      if (!lookupCodeTaken(db, code)) return code;
    }
    // 2^40 codes: reaching this means the random source is broken, not bad luck.
    throw new Error('no free lookup code after 8 draws');
  }

  async function issueAndPrint(s: Settings, visit: SlipVisit, caller: SlipCaller, replacing: readonly string[], reason: string | null): Promise<PrintedSlip> {
    if (s.printer.interface.trim() === '') throw new DeskError('PRINTER_NOT_CONFIGURED');
    const started = performance.now();
    const now = clock.now();
    const slipId = randomUUID();
    const token = newToken();
    const tokenHash = hashToken(token);
    const lookupCode = uniqueLookupCode();
    const expiresAt = now + s.slips.validDays * DAY_MS;
    const job = encodeRasterJob(draw(s, visit, token, formatLookupCode(lookupCode), expiresAt, caller.operatorName));
    const drawnMs = performance.now() - started;

    const record: SlipRecord = {
      slipId,
      tokenHash,
      visitId: visit.id,
      visitNumber: visit.visitNumber,
      patient: { name: displayName(visit.patientName), birthYear: /^\d{4}/.test(visit.birthDate) ? visit.birthDate.slice(0, 4) : null, sex: visit.sex },
      exams: visitExams(visit),
      studyInstanceUIDs: visitStudyUIDs(visit),
      issuedAt: now,
      expiresAt,
      requireBirthYear: s.slips.requireBirthYear,
      clinicName: s.clinic.name,
      status: 'active',
      lookupCode,
      replaces: replacing[0] ?? null,
      revision: 0,
    };
    db.transaction(() => insertSlip(db, clock, record, caller.operatorId))();
    caller.audit({
      patientID: visit.patientID,
      detail: { slipId, tokenHash: tokenHash.slice(0, 8), lookupCode, ...(replacing.length > 0 ? { replaces: replacing, reason } : {}) },
    });

    const retire = () =>
      db.transaction(() => {
        for (const old of replacing) revokeSlip(db, clock, old, `reprint: ${reason ?? ''}`.trim(), slipId);
      })();
    try {
      const out = await printer.print(job, { kind: 'slip', slipId });
      retire();
      logger.info('slip printed', { slipId, bytes: job.byteLength, drawMs: Math.round(drawnMs), totalMs: Math.round(performance.now() - started), confirmed: out.confirmed });
      return { slipId, lookupCode: formatLookupCode(lookupCode), expiresAt, printJobId: out.jobId, confirmed: out.confirmed, paper: out.paper };
    } catch (e) {
      const failure = e instanceof PrinterFailure ? e : toPrinterFailure(e, true);
      if (failure.jobSent) retire();
      else db.transaction(() => revokeSlip(db, clock, slipId, `not printed: ${failure.printerCode}`, null))();
      throw failure;
    }
  }

  async function exclusive<T>(visitId: string, fn: () => Promise<T>): Promise<T> {
    if (inFlight.has(visitId)) throw new DeskError('CONFLICT', { detail: 'phiếu của lượt khám này đang được in / this visit is already printing' });
    inFlight.add(visitId);
    try {
      return await fn();
    } finally {
      inFlight.delete(visitId);
    }
  }

  return {
    preview(visitId, caller) {
      const { s, visit } = prepare(visitId, caller);
      const raster = draw(s, visit, PREVIEW_TOKEN, PREVIEW_LOOKUP_CODE, clock.now() + s.slips.validDays * DAY_MS, caller.operatorName);
      return { png: encodeRasterPng(raster).toString('base64'), width: raster.width, height: raster.height };
    },

    async print(visitId, caller) {
      const { s, visit } = prepare(visitId, caller);
      return exclusive(visit.id, async () => {
        if (liveSlipsOfVisit(db, visit.id, clock.now()).length > 0) {
          throw new DeskError('CONFLICT', { detail: 'lượt khám đã có phiếu còn hiệu lực, hãy dùng In lại / the visit already has a valid slip: use reprint' });
        }
        return issueAndPrint(s, visit, caller, [], null);
      });
    },

    async reprint(target, reason, caller) {
      let visitId: string;
      if ('slipId' in target) {
        const slip = getSlip(db, target.slipId);
        if (!slip) throw new DeskError('NOT_FOUND', { what: 'phiếu / slip' });
        visitId = slip.visitId;
      } else {
        visitId = target.visitId;
      }
      const { s, visit } = prepare(visitId, caller);
      return exclusive(visit.id, async () => {
        const replacing = liveSlipsOfVisit(db, visit.id, clock.now()).map((x) => x.id);
        const printed = await issueAndPrint(s, visit, caller, replacing, reason);
        return { ...printed, revokedSlipIds: replacing };
      });
    },

    list: (filter) => listSlips(db, clock.now(), filter),

    revoke(slipId, reason, caller) {
      const slip = getSlip(db, slipId);
      if (!slip) throw new DeskError('NOT_FOUND', { what: 'phiếu / slip' });
      const visit = readSlipVisit(db, slip.visitId);
      caller.audit({ patientID: visit?.patientID ?? '', detail: { visitId: slip.visitId, slipId, tokenHash: slip.tokenHash.slice(0, 8), reason } });
      // Revoking twice changes nothing and sends nothing twice.
      db.transaction(() => revokeSlip(db, clock, slipId, reason, null))();
      return slipSummary(db, slipId, clock.now())!;
    },

    async testPage() {
      const s = settings.get();
      registerSlipFonts(fontsDir);
      const raster = renderTestPage({ widthDots: s.printer.widthDots, clinicName: s.clinic.name, at: clock.now(), timeZone });
      const out = await printer.print(encodeRasterJob(raster), { kind: 'test-page' });
      return { printJobId: out.jobId, confirmed: out.confirmed, paper: out.paper };
    },

    printerStatus: () => printer.status(),
  };
}
