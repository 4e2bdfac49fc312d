/**
 * The desk's DICOM C-STORE SCP (dcmjs-dimse): the modality pushes images here instead of (or as
 * well as) writing the export folder. Each object streams to a spool file behind a Part-10 prefix
 * written first (PS3.10 §7.1), so a 15 MB image is never held in memory; once complete it goes
 * through the same pipeline as a folder file, and the C-STORE response waits for that pipeline:
 * "Success" means the image is committed in the desk's store (PS3.4 §B.2.3).
 *
 * Accepted: Verification (C-ECHO) and the radiography storage classes (CR, DX and MG for
 * presentation and processing, intra-oral, Secondary Capture), in the transfer syntaxes the issue
 * lists; the first syntax the modality proposes that we accept wins, so compressed images arrive
 * as compressed (their original bytes).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { AddressInfo, Server as NetServer } from 'node:net';
import path from 'node:path';
import type { Writable } from 'node:stream';
import dimse from 'dcmjs-dimse';
import type { Logger } from '../logger';
import { part10Prefix } from './part10-meta';

const { Server, Scp, Dataset } = dimse;
const { CEchoResponse, CStoreResponse } = dimse.responses;
const { PresentationContextResult, RejectResult, RejectSource, RejectReason, Status } = dimse.constants;

type DimseDataset = InstanceType<typeof Dataset>;
type DimseAssociation = InstanceType<typeof dimse.association.Association>;
type DimsePresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
type DimseCStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
type DimseCEchoRequest = InstanceType<typeof dimse.requests.CEchoRequest>;
type DimseCStoreResponse = InstanceType<typeof CStoreResponse>;
type DimseCEchoResponse = InstanceType<typeof CEchoResponse>;

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

/** PS3.4 Annex B.5 storage SOP classes of the radiography family. */
export const ACCEPTED_STORAGE_CLASSES: ReadonlySet<string> = new Set([
  '1.2.840.10008.5.1.4.1.1.1', // CR Image Storage
  '1.2.840.10008.5.1.4.1.1.1.1', // Digital X-Ray Image Storage – For Presentation
  '1.2.840.10008.5.1.4.1.1.1.1.1', // Digital X-Ray Image Storage – For Processing
  '1.2.840.10008.5.1.4.1.1.1.2', // Digital Mammography X-Ray – For Presentation
  '1.2.840.10008.5.1.4.1.1.1.2.1', // Digital Mammography X-Ray – For Processing
  '1.2.840.10008.5.1.4.1.1.1.3', // Digital Intra-Oral X-Ray – For Presentation
  '1.2.840.10008.5.1.4.1.1.1.3.1', // Digital Intra-Oral X-Ray – For Processing
  '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture Image Storage
  '1.2.840.10008.5.1.4.1.1.7.1', // Multi-frame Single Bit SC
  '1.2.840.10008.5.1.4.1.1.7.2', // Multi-frame Grayscale Byte SC
  '1.2.840.10008.5.1.4.1.1.7.3', // Multi-frame Grayscale Word SC
  '1.2.840.10008.5.1.4.1.1.7.4', // Multi-frame True Color SC
]);

/** PS3.5 Annex A: implicit/explicit LE, JPEG (baseline, extended, lossless), JPEG-LS, JPEG 2000. */
export const ACCEPTED_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
]);

/** What the pipeline made of one received object, mapped to a C-STORE status. */
export type ScpIngestOutcome = 'stored' | 'rejected' | 'failed';

export interface StoreScpOptions {
  readonly aet: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly spoolDir: string;
  readonly logger: Logger;
  /** Runs the pipeline on a complete spool file; resolves once committed or quarantined. */
  ingest(spoolFile: string, callingAet: string): Promise<ScpIngestOutcome>;
}

export interface StoreScp {
  /** Resolves with the port listened on. */
  start(): Promise<number>;
  stop(): Promise<void>;
}

interface Spool {
  file: string;
  stream: fs.WriteStream;
  failed: boolean;
}

// dcmjs-dimse logs every association to the console at info level; the desk logs what it needs.
dimse.log.setLevel('error');

export function createStoreScp(opts: StoreScpOptions): StoreScp {
  const spools = new WeakMap<DimseDataset, string | null>();
  const { logger } = opts;

  class DeskScp extends Scp {
    private association: DimseAssociation | undefined;
    private readonly open = new Set<Spool>();

    constructor(socket: ConstructorParameters<typeof Scp>[0], o: ConstructorParameters<typeof Scp>[1]) {
      super(socket, o);
      this.on('close', () => {
        // An association that ends mid-object leaves a partial spool: remove it (the modality resends).
        for (const s of this.open) {
          s.stream.destroy();
          void fsp.rm(s.file, { force: true });
        }
        this.open.clear();
      });
    }

    override associationRequested(association: DimseAssociation): void {
      this.association = association;
      if (association.getCalledAeTitle().trim() !== opts.aet.trim()) {
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
        return;
      }
      for (const { id } of association.getPresentationContexts()) {
        const ctx = association.getPresentationContext(id);
        const abstract = ctx.getAbstractSyntaxUid();
        if (abstract !== VERIFICATION_SOP_CLASS && !ACCEPTED_STORAGE_CLASSES.has(abstract)) {
          ctx.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
          continue;
        }
        const ts = ctx.getTransferSyntaxUids().find((t) => ACCEPTED_TRANSFER_SYNTAXES.has(t));
        if (ts) ctx.setResult(PresentationContextResult.Accept, ts);
        else ctx.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    /** A-ABORT from the modality (PS3.8 §7.3): drop the connection; 'close' removes any partial spool. */
    override abort(): void {
      (this as unknown as { socket?: { destroy(): void } }).socket?.destroy();
    }

    override cEchoRequest(request: DimseCEchoRequest, callback: (response: DimseCEchoResponse) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(ctx: DimsePresentationContext, request: DimseCStoreRequest): Writable {
      const file = path.join(opts.spoolDir, `${randomUUID()}.part`);
      const stream = fs.createWriteStream(file, { flags: 'wx', highWaterMark: 1024 * 1024 });
      const spool: Spool = { file, stream, failed: false };
      stream.on('error', () => {
        spool.failed = true;
      });
      this.open.add(spool);
      const callingAet = this.association?.getCallingAeTitle() ?? '';
      stream.write(part10Prefix(request.getAffectedSopClassUid(), request.getAffectedSopInstanceUid(), ctx.getAcceptedTransferSyntaxUid() ?? '', callingAet));
      (stream as unknown as { deskSpool: Spool }).deskSpool = spool;
      return stream;
    }

    override createDatasetFromStoreWritableStream(writable: Writable, ctx: DimsePresentationContext, callback: (dataset: DimseDataset) => void): void {
      const spool = (writable as unknown as { deskSpool: Spool }).deskSpool;
      const dataset = new Dataset({}, ctx.getAcceptedTransferSyntaxUid());
      const done = (file: string | null) => {
        this.open.delete(spool);
        spools.set(dataset, file);
        callback(dataset);
      };
      const finish = async () => {
        if (spool.failed) throw new Error('spool write failed');
        const h = await fsp.open(spool.file, 'r+');
        try {
          await h.sync();
        } finally {
          await h.close();
        }
        const complete = spool.file.replace(/\.part$/, '.dcm');
        await fsp.rename(spool.file, complete);
        return complete;
      };
      const settle = () =>
        finish().then(done, async () => {
          await fsp.rm(spool.file, { force: true });
          done(null);
        });
      if (writable.writableFinished) void settle();
      else {
        writable.once('finish', () => void settle());
        writable.once('error', () => void settle());
      }
    }

    override cStoreRequest(request: DimseCStoreRequest, callback: (response: DimseCStoreResponse) => void): void {
      const response = CStoreResponse.fromRequest(request);
      const dataset = request.getDataset();
      const file = dataset ? spools.get(dataset) : null;
      if (!file) {
        response.setStatus(0xa700); // Refused: out of resources (spool could not be written)
        callback(response);
        return;
      }
      const callingAet = this.association?.getCallingAeTitle() ?? '';
      opts
        .ingest(file, callingAet)
        .then((outcome) => {
          if (outcome === 'stored') response.setStatus(Status.Success);
          else if (outcome === 'rejected') {
            response.setStatus(0xc000); // Error: cannot understand; the file is in the quarantine
            response.setErrorComment('Quarantined by the desk');
          } else response.setStatus(0xa700);
        })
        .catch(() => response.setStatus(0xa700))
        .finally(() => callback(response));
    }
  }

  let server: InstanceType<typeof Server> | null = null;

  return {
    async start() {
      await fsp.mkdir(opts.spoolDir, { recursive: true });
      const s = new Server(DeskScp);
      server = s;
      s.on('networkError', (e: Error) => logger.warn('scp network error', { error: e.name }));
      s.listen(opts.port);
      const net = (s as unknown as { server: NetServer }).server;
      if (!net.listening) await new Promise<void>((resolve, reject) => {
        net.once('listening', () => resolve());
        net.once('error', reject);
      });
      const port = (net.address() as AddressInfo).port;
      logger.info('scp listening', { port, aet: opts.aet });
      return port;
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      const net = (s as unknown as { server?: NetServer }).server;
      const closed = net ? new Promise<void>((resolve) => net.close(() => resolve())) : Promise.resolve();
      s.close();
      await closed;
    },
  };
}
