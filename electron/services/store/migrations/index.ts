/**
 * Every schema migration, in order. Add a new file with the next number above the highest (a
 * database applies only versions above its own) and list it here; never edit a shipped one.
 */
import type { Migration } from '../database';
import { foundation } from './001-foundation';
import { ingest } from './010-ingest';
import { ingestSources } from './011-ingest-sources';
import { review } from './015-review';
import { sync } from './021-sync';
import { visits } from './030-visits';
import { visitCorrections } from './031-visit-corrections';
import { slips } from './040-slips';
import { film } from './050-film';
import { recordsOutbox } from './060-records-outbox';
import { serverRevocations } from './061-server-revocations';
import { worklistWithdrawal } from './062-worklist-withdrawal';

export const migrations: readonly Migration[] = [foundation, ingest, ingestSources, review, sync, visits, visitCorrections, slips, film, recordsOutbox, serverRevocations, worklistWithdrawal];
