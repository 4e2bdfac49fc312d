/**
 * `npm run pacs:local [-- --data <dir>] [--no-patch]`: a local PACS for demos — Orthanc from the
 * Debian packages (orthanc, orthanc-dicomweb) with DICOMweb, its storage in `<data>/pacs` so it keeps
 * its images between runs, on 8042/4242 when free. Points the desk at it by writing
 * `pacs.dicomwebUrl` into the desk's settings file (unless --no-patch), and prints the equivalent
 * `settings.update` call for a desk that is already running. Ctrl-C stops Orthanc.
 *
 * The launcher is the one the integration tests use (test/support/orthanc.ts), so the demo PACS is
 * configured exactly like the test PACS.
 */
import { join, resolve } from 'node:path';
import { defaultDataDir } from '../electron/services/paths';
import { confSettingsStorage } from '../electron/services/settings/conf-storage';
import { createSettingsStore } from '../electron/services/settings/settings-store';
import { orthancAvailable, startOrthanc } from '../test/support/orthanc';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dataDir = resolve(arg('--data') ?? process.env.RADDESK_DATA ?? defaultDataDir());
  if (!orthancAvailable()) {
    console.error('Orthanc with the DICOMweb plugin is not installed. On Debian/Ubuntu: sudo apt-get install orthanc orthanc-dicomweb');
    process.exit(2);
  }
  const orthanc = await startOrthanc({ storageDir: join(dataDir, 'pacs'), httpPort: 8042, dicomPort: 4242 });
  const patch = { pacs: { dicomwebUrl: orthanc.dicomwebUrl } };

  console.log(`Local PACS (Orthanc) running, pid ${orthanc.pid}`);
  console.log(`  DICOMweb:  ${orthanc.dicomwebUrl}`);
  console.log(`  Explorer:  ${orthanc.httpUrl}/app/explorer.html`);
  console.log(`  DICOM:     AE ${orthanc.aet} on port ${orthanc.dicomPort}`);
  console.log(`  Storage:   ${join(dataDir, 'pacs')}`);
  if (!process.argv.includes('--no-patch')) {
    const settings = createSettingsStore(confSettingsStorage(dataDir));
    settings.update(patch);
    console.log(`Desk settings in ${dataDir} now point at it (restart a running desk, or use the call below).`);
  }
  console.log(`For a running desk:  settings.update ${JSON.stringify(patch)}`);
  console.log('Ctrl-C stops the PACS.');

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void orthanc.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
