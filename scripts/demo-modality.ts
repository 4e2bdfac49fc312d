/**
 * A simulated X-ray modality: writes realistic generated DX studies (Vietnamese patients, several
 * views each) into a folder the way real modalities and network copies do — some appear whole by
 * rename, some are written slowly in chunks under their final name — so a newcomer can watch the
 * desk's Inbox fill up within minutes.
 *
 *   npm run demo:modality -- <folder> [--studies 6] [--interval 1500] [--small] [--slow-every 2]
 *
 * --small writes 512×512 images (fast); the default is 2048×2560 (~10 MB, a real chest size).
 * --slow-every N: every N-th image is copied in 64 KB chunks with pauses (a slow network share).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeDx, newUid, type DxOptions } from '../test/support/dicom-fixtures';

interface Patient {
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
}

const PATIENTS: Patient[] = [
  { name: 'NGUYỄN VĂN AN', sex: 'M', birthDate: '19780312' },
  { name: 'TRẦN THỊ BÍCH NGỌC', sex: 'F', birthDate: '19900521' },
  { name: 'LÊ HOÀNG PHÚC', sex: 'M', birthDate: '20120904' },
  { name: 'PHẠM THỊ THU HƯƠNG', sex: 'F', birthDate: '19651130' },
  { name: 'ĐẶNG QUỐC CƯỜNG', sex: 'M', birthDate: '19550217' },
  { name: 'VÕ THỊ MỸ DUYÊN', sex: 'F', birthDate: '19990708' },
  { name: 'HUỲNH ĐỨC THẮNG', sex: 'M', birthDate: '19831015' },
  { name: 'BÙI THỊ LAN ANH', sex: 'F', birthDate: '20010126' },
];

const EXAMS: Array<{ bodyPart: string; description: string; views: Array<Pick<DxOptions, 'viewPosition' | 'laterality'>> }> = [
  { bodyPart: 'CHEST', description: 'X-quang ngực thẳng, nghiêng', views: [{ viewPosition: 'PA' }, { viewPosition: 'LL' }] },
  { bodyPart: 'CHEST', description: 'X-quang ngực thẳng', views: [{ viewPosition: 'PA' }] },
  { bodyPart: 'KNEE', description: 'X-quang khớp gối hai bên', views: [{ viewPosition: 'AP', laterality: 'L' }, { viewPosition: 'AP', laterality: 'R' }, { viewPosition: 'LAT', laterality: 'L' }, { viewPosition: 'LAT', laterality: 'R' }] },
  { bodyPart: 'LSPINE', description: 'X-quang cột sống thắt lưng', views: [{ viewPosition: 'AP' }, { viewPosition: 'LAT' }] },
  { bodyPart: 'HAND', description: 'X-quang bàn tay phải', views: [{ viewPosition: 'PA', laterality: 'R' }, { viewPosition: 'OBL', laterality: 'R' }] },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Copies like a slow network share: the final name appears at once and grows chunk by chunk. */
async function slowCopy(from: string, to: string): Promise<void> {
  const bytes = await fsp.readFile(from);
  const fh = await fsp.open(to, 'w');
  try {
    for (let off = 0; off < bytes.length; off += 64 * 1024) {
      await fh.write(bytes.subarray(off, off + 64 * 1024));
      await sleep(15);
    }
  } finally {
    await fh.close();
  }
}

async function main(): Promise<void> {
  const folder = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
  if (!folder) {
    console.error('usage: npm run demo:modality -- <folder> [--studies 6] [--interval 1500] [--small] [--slow-every 2]');
    process.exit(2);
  }
  const studies = arg('studies', 6);
  const interval = arg('interval', 1500);
  const slowEvery = arg('slow-every', 2);
  const size = process.argv.includes('--small') ? { rows: 512, columns: 512 } : { rows: 2560, columns: 2048 };
  fs.mkdirSync(folder, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-modality-'));
  let n = 0;
  const today = new Date();
  const studyDate = `${today.getFullYear()}${String(today.getMonth() + 1).padStart(2, '0')}${String(today.getDate()).padStart(2, '0')}`;
  try {
    for (let s = 0; s < studies; s++) {
      const patient = PATIENTS[s % PATIENTS.length]!;
      const exam = EXAMS[s % EXAMS.length]!;
      const common: DxOptions = {
        ...size,
        patientName: patient.name,
        patientID: `BN${String(240000 + s).padStart(6, '0')}`,
        sex: patient.sex,
        birthDate: patient.birthDate,
        accessionNumber: `CDHA${1000 + s}`,
        studyInstanceUID: newUid(),
        seriesInstanceUID: newUid(),
        studyDate,
        bodyPart: exam.bodyPart,
        studyDescription: exam.description,
        stationName: 'DX-PHONG1',
      };
      console.log(`study ${s + 1}/${studies}: ${exam.description} — ${exam.views.length} view(s)`);
      for (const [i, view] of exam.views.entries()) {
        const f = makeDx(staging, { ...common, ...view, instanceNumber: i + 1 });
        const target = path.join(folder, `IMG${String(++n).padStart(5, '0')}.dcm`);
        if (slowEvery > 0 && n % slowEvery === 0) {
          await slowCopy(f.path, target);
          console.log(`  ${path.basename(target)} (${(f.size / 1e6).toFixed(1)} MB, written slowly in chunks)`);
        } else {
          await fsp.copyFile(f.path, `${target}.part`);
          await fsp.rename(`${target}.part`, target);
          console.log(`  ${path.basename(target)} (${(f.size / 1e6).toFixed(1)} MB)`);
        }
        await fsp.rm(f.path);
      }
      await sleep(interval);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  console.log(`done: ${n} images in ${folder}`);
}

await main();
