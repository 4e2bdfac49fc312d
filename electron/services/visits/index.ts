/** The visits capability's public face: the service factory, its handlers, and the ingest hook. */
export { createVisits, type VisitsService, type VisitsDeps, type MatchOutcome, type WalkInInput } from './visits-service';
export { createVisitsHandlers } from './handlers';
export { createDimseWorklistScu, type WorklistScu } from './worklist-scu';
