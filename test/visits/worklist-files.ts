/**
 * Modality Worklist entries for the Orthanc worklist plugin, made the way a RIS export would be:
 * a dcmdump-syntax template with UTF-8 (ISO_IR 192) text, turned into a `.wl` file by dcmtk's
 * dump2dcm. Vietnamese text sits both at the top level and inside sequences (Requested Procedure
 * Code Sequence, Scheduled Procedure Step Sequence), where dcmjs mis-decodes it.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dump2dcm } from './dcmtk';

export interface WorklistFileEntry {
  accessionNumber: string;
  patientID: string;
  patientName: string;
  birthDate?: string;
  sex?: 'M' | 'F' | 'O';
  studyInstanceUID?: string;
  /** Top-level RequestedProcedureDescription; omit to make the desk take the name from the code sequence. */
  requestedProcedureDescription?: string;
  procedureCode?: string;
  procedureMeaning?: string;
  referringPhysician?: string;
  /** YYYYMMDD / HHMMSS. */
  date: string;
  time?: string;
  modality?: string;
  stationAET?: string;
  spsID?: string;
  spsDescription?: string;
  performingPhysician?: string;
}

/** Writes one `.wl` file into the worklist folder; returns its path. */
export function writeWorklistFile(dir: string, e: WorklistFileEntry): string {
  const lines = [
    '(0002,0001) OB 00\\01',
    '(0002,0002) UI [1.2.840.10008.5.1.4.31]',
    `(0002,0003) UI [2.25.${BigInt(`0x${randomBytes(12).toString('hex')}`)}]`,
    '(0002,0010) UI [1.2.840.10008.1.2.1]',
    '(0008,0005) CS [ISO_IR 192]',
    `(0008,0050) SH [${e.accessionNumber}]`,
    `(0008,0090) PN [${e.referringPhysician ?? ''}]`,
    `(0010,0010) PN [${e.patientName}]`,
    `(0010,0020) LO [${e.patientID}]`,
    `(0010,0030) DA [${e.birthDate ?? ''}]`,
    `(0010,0040) CS [${e.sex ?? ''}]`,
    ...(e.studyInstanceUID ? [`(0020,000d) UI [${e.studyInstanceUID}]`] : []),
    ...(e.requestedProcedureDescription !== undefined ? [`(0032,1060) LO [${e.requestedProcedureDescription}]`] : []),
    '(0032,1064) SQ (Sequence)',
    '  (fffe,e000) na (Item)',
    `    (0008,0100) SH [${e.procedureCode ?? 'XQ'}]`,
    '    (0008,0102) SH [L]',
    `    (0008,0104) LO [${e.procedureMeaning ?? ''}]`,
    '  (fffe,e00d) na (ItemDelimitationItem)',
    '(fffe,e0dd) na (SequenceDelimitationItem)',
    '(0040,0100) SQ (Sequence)',
    '  (fffe,e000) na (Item)',
    `    (0008,0060) CS [${e.modality ?? 'DX'}]`,
    `    (0040,0001) AE [${e.stationAET ?? 'DX_ROOM1'}]`,
    `    (0040,0002) DA [${e.date}]`,
    `    (0040,0003) TM [${e.time ?? '083000'}]`,
    `    (0040,0006) PN [${e.performingPhysician ?? ''}]`,
    `    (0040,0007) LO [${e.spsDescription ?? ''}]`,
    `    (0040,0009) SH [${e.spsID ?? 'SPS1'}]`,
    '  (fffe,e00d) na (ItemDelimitationItem)',
    '(fffe,e0dd) na (SequenceDelimitationItem)',
    `(0040,1001) SH [RP-${e.accessionNumber}]`,
  ];
  const file = join(dir, `${e.accessionNumber}-${e.spsID ?? 'SPS1'}.wl`);
  dump2dcm(Buffer.from(lines.join('\n') + '\n', 'utf8'), file);
  return file;
}
