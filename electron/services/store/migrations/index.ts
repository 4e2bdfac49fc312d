/** Every schema migration, in order. Add a new file and list it here; never edit a shipped one. */
import type { Migration } from '../database';
import { foundation } from './001-foundation';
import { ingest } from './010-ingest';
import { visits } from './030-visits';
import { slips } from './040-slips';
import { film } from './050-film';
import { recordsOutbox } from './060-records-outbox';

export const migrations: readonly Migration[] = [foundation, ingest, visits, slips, film, recordsOutbox];
