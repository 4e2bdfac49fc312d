/** Sync page: not built yet (its capability's issue replaces this file). */
import { NotYet } from '../../app/not-yet';

export function SyncPage() {
  return <NotYet area="sync" />;
}
