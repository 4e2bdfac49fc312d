/** Settings file outside Electron, through `conf` (the library electron-store is built on). */
import Conf from 'conf';
import type { Settings } from '../../../shared/settings-schema';
import type { SettingsStorage } from './settings-store';

export const SETTINGS_FILE_NAME = 'settings';

export function confSettingsStorage(dataDir: string): SettingsStorage {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: SETTINGS_FILE_NAME,
    projectName: 'radiology-desk',
    // The zod schema is the single source of truth; conf only stores.
    clearInvalidConfig: false,
  });
  return {
    read: () => conf.store,
    write: (value: Settings) => {
      conf.store = value as unknown as Record<string, unknown>;
    },
  };
}
