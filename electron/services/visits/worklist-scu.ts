/**
 * The Modality Worklist SCU: C-FIND on the MWL Information Model (PS3.4 Annex K) and C-ECHO
 * (PS3.7 §9.1.5) over dcmjs-dimse. Every failure leaves as a WORKLIST_* DeskError: unreachable
 * (no TCP connection or no answer in time), or rejected (association refused, failure status).
 *
 * The response data sets are handed over as dcmjs-dimse's naturalized elements; reading them
 * (including the character set repair inside sequences) is `worklist-entry.ts`'s job.
 */
import dimse from 'dcmjs-dimse';
import { DeskError } from '../../../shared/errors';
import type { Settings } from '../../../shared/settings-schema';

const { Client, requests, constants } = dimse;

export type WorklistSettings = Settings['worklist'];

/** A C-FIND answer: the naturalized identifier (PS3.4 K.6.1.2.2). */
export type WorklistMatch = Record<string, unknown>;

export interface WorklistScu {
  find(cfg: WorklistSettings, query: Record<string, unknown>): Promise<WorklistMatch[]>;
  /** Resolves with the round trip in ms. */
  echo(cfg: WorklistSettings): Promise<number>;
}

// dcmjs-dimse logs each association on stdout and each failure on stderr; every failure becomes a
// WORKLIST_* error here and the desk's own log records its code.
dimse.log.setLevel('silent');

function unreachable(cfg: WorklistSettings): DeskError {
  return new DeskError('WORKLIST_UNREACHABLE', { host: cfg.host, port: cfg.port });
}

/** Runs one association with one request, settling once whatever order the events come in. */
function run(cfg: WorklistSettings, request: InstanceType<typeof requests.CFindRequest> | InstanceType<typeof requests.CEchoRequest>, onResponse: (status: number, dataset: WorklistMatch | undefined) => void): Promise<void> {
  if (cfg.host.trim() === '') return Promise.reject(new DeskError('WORKLIST_NOT_CONFIGURED'));
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let failure: DeskError | null = null;
    let finalStatus: number | null = null;
    const finish = () => {
      if (settled) return;
      settled = true;
      if (failure) reject(failure);
      else if (finalStatus === null) reject(unreachable(cfg));
      else if (finalStatus !== constants.Status.Success) {
        reject(new DeskError('WORKLIST_REJECTED', { detail: `status 0x${finalStatus.toString(16).padStart(4, '0')}` }));
      } else resolve();
    };
    const client = new Client();
    request.on('response', (response: InstanceType<typeof dimse.responses.Response>) => {
      const status = response.getStatus();
      if (status === constants.Status.Pending) {
        onResponse(status, response.hasDataset() ? (response.getDataset()?.getElements() as WorklistMatch) : undefined);
      } else finalStatus = status;
    });
    client.on('associationRejected', (r: { result: number; source: number; reason: number }) => {
      failure ??= new DeskError('WORKLIST_REJECTED', { detail: `association rejected (result ${r.result}, source ${r.source}, reason ${r.reason})` });
    });
    client.on('networkError', (e: Error) => {
      // dcmjs-dimse wraps socket failures as "… Connection error: connect ECONNREFUSED …" or
      // "… Connection timeout"; anything else is the peer speaking DICOM we could not follow.
      failure ??= /Connection (error|timeout)/.test(e.message) ? unreachable(cfg) : new DeskError('WORKLIST_REJECTED', { detail: e.message.slice(0, 120) });
      finish();
    });
    client.on('closed', finish);
    client.addRequest(request);
    client.send(cfg.host, cfg.port, cfg.callingAet, cfg.calledAet, {
      connectTimeout: cfg.timeoutMs,
      associationTimeout: cfg.timeoutMs,
      pduTimeout: cfg.timeoutMs,
      associationLingerTimeout: 0,
    });
  });
}

export function createDimseWorklistScu(now: () => number = () => performance.now()): WorklistScu {
  return {
    async find(cfg, query) {
      const matches: WorklistMatch[] = [];
      await run(cfg, requests.CFindRequest.createWorklistFindRequest(query), (_s, ds) => {
        if (ds) matches.push(ds);
      });
      return matches;
    },
    async echo(cfg) {
      const t0 = now();
      await run(cfg, new requests.CEchoRequest(), () => undefined);
      return now() - t0;
    },
  };
}
