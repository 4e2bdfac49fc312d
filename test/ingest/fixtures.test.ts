/**
 * The fixture generator itself: dcmtk's dcmdump (an independent parser) must read every generated
 * valid file in its declared transfer syntax, names must survive byte for byte in both character
 * sets, and the broken files must really be broken the way they claim.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BAD_INPUTS,
  TRANSFER_SYNTAX,
  dxPixels,
  makeDeepNesting,
  makeDx,
  makeHostilePatientId,
  makeStudy,
  newUid,
  topLevelElements,
  type FixtureSyntax,
} from '../support/dicom-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixtures-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function dcmdump(file: string, ...args: string[]): string {
  return execFileSync('dcmdump', [...args, file], { encoding: 'utf8' });
}

function readHeader(file: string): Record<string, unknown> {
  const b = fs.readFileSync(file);
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
  const msg = dcmjs.data.DicomMessage.readFile(ab as ArrayBuffer);
  return { ...dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict), _meta: dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.meta) };
}

describe('newUid', () => {
  it('is a 2.25 UID within 64 characters and unique', () => {
    const a = newUid();
    expect(a).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(newUid()).not.toBe(a);
  });
});

describe('makeDx', () => {
  const syntaxes: FixtureSyntax[] = ['explicit-le', 'implicit-le', 'jpeg-lossless', 'jpeg-ls', 'jpeg2000'];
  for (const syntax of syntaxes) {
    it(`writes a file dcmdump reads in ${syntax}`, () => {
      const f = makeDx(dir, { syntax, rows: 128, columns: 96 });
      const out = dcmdump(f.path, '+U8');
      expect(out).toContain(`(0002,0010) UI =`);
      expect(out).toContain(`[${f.sopInstanceUID}]`);
      expect(out).toContain('[NGUYỄN VĂN AN]');
      expect(out).toMatch(/\(0028,0010\) US 128/);
      expect(out).toMatch(/\(0028,0011\) US 96/);
      const header = readHeader(f.path) as { _meta: { TransferSyntaxUID: string } };
      expect(header._meta.TransferSyntaxUID).toBe(TRANSFER_SYNTAX[syntax]);
      expect(f.size).toBe(fs.statSync(f.path).size);
    });
  }

  it('keeps Vietnamese names as UTF-8 bytes under ISO_IR 192', () => {
    const f = makeDx(dir, { patientName: 'TRẦN THỊ BÍCH NGỌC', studyDescription: 'Chụp cột sống thắt lưng' });
    const bytes = fs.readFileSync(f.path);
    expect(bytes.includes(Buffer.from('TRẦN THỊ BÍCH NGỌC', 'utf8'))).toBe(true);
    const h = readHeader(f.path) as { PatientName: Array<{ Alphabetic: string }>; SpecificCharacterSet: string };
    expect(h.SpecificCharacterSet).toBe('ISO_IR 192');
    expect(h.PatientName[0]?.Alphabetic).toBe('TRẦN THỊ BÍCH NGỌC');
  });

  it('writes Latin-1 bytes under ISO_IR 100 and refuses what Latin-1 cannot hold', () => {
    const f = makeDx(dir, { charset: 'ISO_IR 100', patientName: 'LÊ^VÂN HÀ' });
    expect(fs.readFileSync(f.path).includes(Buffer.from('LÊ^VÂN HÀ', 'latin1'))).toBe(true);
    const h = readHeader(f.path) as { PatientName: Array<{ Alphabetic: string }> };
    expect(h.PatientName[0]?.Alphabetic).toBe('LÊ^VÂN HÀ');
    expect(() => makeDx(dir, { charset: 'ISO_IR 100', patientName: 'NGUYỄN' })).toThrow(/Latin-1/);
  });

  it('draws a deterministic picture with a saturated marker and a gradient', () => {
    const a = dxPixels(64, 64, 7);
    expect(a.equals(dxPixels(64, 64, 7))).toBe(true);
    expect(a.equals(dxPixels(64, 64, 8))).toBe(false);
    expect(a.readUInt16LE(0)).toBe(4095);
    const px = new Uint16Array(a.buffer, a.byteOffset, 64 * 64);
    expect(Math.max(...px)).toBeLessThanOrEqual(4095);
    expect(new Set(px).size).toBeGreaterThan(20);
    const f = makeDx(dir, { rows: 64, columns: 64, seed: 7 });
    const bytes = fs.readFileSync(f.path);
    const pd = topLevelElements(bytes).find((e) => e.group === 0x7fe0)!;
    expect(bytes.subarray(pd.valueStart, pd.valueStart + pd.length).equals(a)).toBe(true);
  });

  it('makeStudy shares patient, study and series across views', () => {
    const views = makeStudy(dir, { views: 3, patientName: 'PHẠM MINH ĐỨC' });
    expect(views).toHaveLength(3);
    expect(new Set(views.map((v) => v.studyInstanceUID)).size).toBe(1);
    expect(new Set(views.map((v) => v.seriesInstanceUID)).size).toBe(1);
    expect(new Set(views.map((v) => v.sopInstanceUID)).size).toBe(3);
    expect(new Set(views.map((v) => v.patientID)).size).toBe(1);
    const positions = views.map((v) => dcmdump(v.path).match(/\(0018,5101\) CS \[(\w+)\]/)?.[1]);
    expect(positions).toEqual(['PA', 'LL', 'AP']);
  });

  it('leaves no temporary file behind', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'clean-'));
    makeDx(sub);
    expect(fs.readdirSync(sub)).toHaveLength(1);
  });
});

describe('bad inputs', () => {
  const structural = new Set(['NOT_DICOM', 'INCOMPLETE', 'OVERSIZE_ELEMENT']);
  for (const bad of BAD_INPUTS.filter((b) => b.reason !== 'NESTING')) {
    it(`${bad.name} is ${structural.has(bad.reason) ? 'rejected' : 'parsed'} by dcmdump`, () => {
      const file = bad.make(fs.mkdtempSync(path.join(dir, 'bad-')));
      const r = spawnSync('dcmdump', ['-q', file], { encoding: 'utf8' });
      // Framing damage makes dcmdump fail; semantic damage leaves a parseable file.
      if (structural.has(bad.reason)) expect(r.status).not.toBe(0);
      else expect(r.status).toBe(0);
    });
  }

  it('nests sequences as deep as asked', () => {
    const file = makeDeepNesting(dir, 10_000);
    const bytes = fs.readFileSync(file);
    const opens = bytes.toString('latin1').split('\u0040\u0000\u0030\u00a7SQ').length - 1;
    expect(opens).toBe(10_000);
  });

  it('writes the hostile PatientID bytes', () => {
    const { path: file, patientID } = makeHostilePatientId(dir, 'nul');
    expect(fs.readFileSync(file).includes(Buffer.from(patientID, 'latin1'))).toBe(true);
    expect(patientID).toContain('\0');
  });
});
