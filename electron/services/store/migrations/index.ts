/** Every schema migration, in order. Add a new file and list it here; never edit a shipped one. */
import type { Migration } from '../database';
import { foundation } from './001-foundation';

export const migrations: readonly Migration[] = [foundation];
