import type { Account } from '../../../shared/domain/schemas';

/** The connected accounts as a `<select>`'s options, each by its @username. */
export function AccountOptions({ accounts }: { accounts: readonly Account[] }) {
  return accounts.map((account) => (
    <option key={account.igUserId} value={account.igUserId}>
      @{account.username}
    </option>
  ));
}
