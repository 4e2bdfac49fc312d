/** Settings inside Electron: electron-store over the same file conf writes in browser mode. */
import Store from 'electron-store';
import type { Settings } from '../../shared/settings-schema';
import type { SettingsStorage } from '../services/settings/settings-store';
import { SETTINGS_FILE_NAME } from '../services/settings/conf-storage';

export function electronStoreStorage(dataDir: string): SettingsStorage {
  const store = new Store<Record<string, unknown>>({ cwd: dataDir, name: SETTINGS_FILE_NAME, clearInvalidConfig: false });
  return {
    read: () => store.store,
    write: (value: Settings) => {
      store.store = value as unknown as Record<string, unknown>;
    },
  };
}
