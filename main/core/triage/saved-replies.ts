import type { InvokeOutput, InvokeParsedInput } from '../../../shared/ipc/contract';
import type { SavedRepliesStore } from '../archive/saved-replies-store';
import { AppError } from '../errors';
import type { Clock } from '../ports';

/** Handlers for the owner's saved replies; every answer is the full, sorted list. */
export function savedRepliesHandlers(store: SavedRepliesStore, clock: Clock) {
  const all = () => ({ replies: store.list() });
  return {
    list: async (): Promise<InvokeOutput<'replies:list'>> => all(),

    save: async (
      input: InvokeParsedInput<'replies:save'>,
    ): Promise<InvokeOutput<'replies:save'>> => {
      if (!store.save(input, clock.now())) {
        const exists =
          input.id === undefined || store.list().some((reply) => reply.id === input.id);
        throw new AppError(
          'INVALID_INPUT',
          exists
            ? `Another saved reply already uses the shortcut /${input.shortcut}.`
            : 'That saved reply no longer exists.',
        );
      }
      return all();
    },

    delete: async ({
      id,
    }: InvokeParsedInput<'replies:delete'>): Promise<InvokeOutput<'replies:delete'>> => {
      if (!store.delete(id))
        throw new AppError('INVALID_INPUT', 'That saved reply no longer exists.');
      return all();
    },
  };
}
