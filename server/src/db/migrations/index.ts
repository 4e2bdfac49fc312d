/** Every server migration, in order. */
import type { Migration } from '../migrate';
import { m001DesksRecords } from './001-desks-records';
import { m002Slips } from './002-slips';
import { m003FilmAudit } from './003-film-audit';
import { m004ResultAccess } from './004-result-access';
import { m005Admins } from './005-admins';
import { m006SlipRevision } from './006-slip-revision';
import { m007RevocationFeed } from './007-revocation-feed';

export const serverMigrations: readonly Migration[] = [m001DesksRecords, m002Slips, m003FilmAudit, m004ResultAccess, m005Admins, m006SlipRevision, m007RevocationFeed];
