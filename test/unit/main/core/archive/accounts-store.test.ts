import { describe, expect, it } from 'vitest';
import { incomingText } from '../../../../fakes/incoming';
import { IG_ID } from '../../../../fakes/webhook-bodies';
import { comment, tempArchive } from './archive-harness';

const SECOND_SHOP = '17841400000000002';
const COMMENTS_ONLY = '17841400000000003';

describe('AccountsStore', () => {
  it('lists every account the archive holds anything of, named or not, once each', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    archive.accounts.upsert(SECOND_SHOP, 'second.shop');
    archive.comments.save(comment('c1', 'media-1', 1, false, COMMENTS_ONLY));
    expect(archive.accounts.list()).toEqual([
      { igUserId: SECOND_SHOP, username: 'second.shop' },
      { igUserId: COMMENTS_ONLY, username: null },
      { igUserId: IG_ID, username: null },
    ]);
    archive.accounts.upsert(IG_ID, 'acme.studio');
    archive.accounts.upsert(IG_ID, 'acme.renamed');
    expect(archive.accounts.list().find((a) => a.igUserId === IG_ID)).toEqual({
      igUserId: IG_ID,
      username: 'acme.renamed',
    });
  });

  it('tells the username Inlet last learned for an account, null when it never learned one', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    expect(archive.accounts.username(IG_ID)).toBeNull(); // only seen in a delivery
    expect(archive.accounts.username(SECOND_SHOP)).toBeNull();
    archive.accounts.upsert(IG_ID, 'acme.studio');
    archive.accounts.upsert(IG_ID, 'acme.renamed');
    expect(archive.accounts.username(IG_ID)).toBe('acme.renamed');
  });
});
