import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FailureReason } from '../../../../../shared/domain/failure-reason';
import { profileLookup } from '../../../../../main/core/inbox/profile-lookup';
import { memoryLogger } from '../../../../fakes/logger';
import { emulatorGraph, startHarness, type Harness } from '../../sandbox/harness';

let harness: Harness;
let graphCalls: string[];
let marked: [string, FailureReason][];
let logger: ReturnType<typeof memoryLogger>;

beforeEach(async () => {
  harness = await startHarness();
  graphCalls = [];
  marked = [];
  logger = memoryLogger();
});
afterEach(() => harness.stop());

/** The lookup against the emulator's User Profile API, with the accounts' tokens as given. */
function lookup(tokens: Record<string, string | null>) {
  const graph = emulatorGraph(harness.emulator.url, { paths: graphCalls, logger });
  return profileLookup({
    graph,
    tokenFor: (igUserId) => tokens[igUserId] ?? null,
    markReconnectNeeded: (igUserId, reason) => void marked.push([igUserId, reason]),
    logger,
  });
}

describe('profileLookup: who a customer is, seen from one business account', () => {
  it('answers the customer’s username, name and picture link from Instagram', async () => {
    const { account, customer, client } = harness;
    await client.customerSends(customer.igsid, { text: 'Hi!' });
    const profile = await lookup({ [account.igUserId]: account.accessToken })(
      account.igUserId,
      customer.igsid,
    );
    expect(profile).toEqual({
      username: 'lena.k',
      name: 'Lena K',
      pictureUrl: `${harness.emulator.url}/cdn/ig_messaging_cdn/?asset_id=profile-${customer.igsid}&type=image`,
    });
    expect(marked).toEqual([]);
  });

  it('asks Instagram nothing for an account that needs a new login', async () => {
    const { account, customer } = harness;
    expect(await lookup({ [account.igUserId]: null })(account.igUserId, customer.igsid)).toBeNull();
    expect(graphCalls).toEqual([]);
  });

  it('answers null for a customer who never wrote to the account, and leaves the account connected', async () => {
    const { account, customer } = harness;
    const profile = await lookup({ [account.igUserId]: account.accessToken })(
      account.igUserId,
      customer.igsid,
    );
    expect(profile).toBeNull();
    expect(graphCalls).toHaveLength(1);
    expect(marked).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'customer profile not available' }),
    );
  });

  it('marks the account “login needed” when Instagram refuses its token', async () => {
    const { account, customer } = harness;
    const profile = await lookup({ [account.igUserId]: 'IGAA-a-token-instagram-revoked' })(
      account.igUserId,
      customer.igsid,
    );
    expect(profile).toBeNull();
    expect(marked).toHaveLength(1);
    const [[igUserId, reason]] = marked as [[string, FailureReason]];
    expect(igUserId).toBe(account.igUserId);
    expect(reason.text).not.toBe('');
    expect(reason.detail).not.toBeNull();
  });

  it('lets an error that is not Instagram’s answer through', async () => {
    const broken = profileLookup({
      graph: {
        getUserProfile: () => Promise.reject(new TypeError('a bug, not Instagram')),
      },
      tokenFor: () => 'IGAA-token',
      markReconnectNeeded: (igUserId, reason) => void marked.push([igUserId, reason]),
      logger,
    });
    await expect(broken('17841400000000001', '1284973601758398')).rejects.toThrow(
      'a bug, not Instagram',
    );
    expect(marked).toEqual([]);
  });
});
