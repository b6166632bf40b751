import { detail } from '../../../shared/domain/localized-text';
import type { SavedRepliesStore } from '../archive/saved-replies-store';
import { AppError } from '../errors';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock } from '../ports';

const replyGone = () =>
  new AppError('INVALID_INPUT', 'That saved reply no longer exists.', {
    detail: detail('savedReplyGone'),
  });

/** Handlers for the owner's saved replies; every answer is the full, sorted list. */
export function savedRepliesHandlers(store: SavedRepliesStore, clock: Clock) {
  const all = () => ({ replies: store.list() });
  return {
    'replies:list': async () => all(),

    'replies:save': async (input) => {
      if (!store.save(input, clock.now())) {
        const exists =
          input.id === undefined || store.list().some((reply) => reply.id === input.id);
        throw exists
          ? new AppError(
              'INVALID_INPUT',
              `Another saved reply already uses the shortcut /${input.shortcut}.`,
              { detail: detail('shortcutTaken', { shortcut: input.shortcut }) },
            )
          : replyGone();
      }
      return all();
    },

    'replies:delete': async ({ id }) => {
      if (!store.delete(id)) throw replyGone();
      return all();
    },
  } satisfies HandlersFor<'replies'>;
}
