/** Cách ly / Quarantine: the list of refused files with retry and export, and the intake counters. */
export { QuarantinePanel } from './quarantine-panel';
export { IngestCounters } from './ingest-counters';
