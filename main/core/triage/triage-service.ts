import { detail } from '../../../shared/domain/localized-text';
import type { InvokeOutput, InvokeParsedInput } from '../../../shared/ipc/contract';
import type { Triage } from '../../../shared/ipc/triage-contract';
import type { Archive } from '../archive/archive';
import type { SearchStore } from '../archive/search-store';
import type { TriageStore } from '../archive/triage-store';
import { AppError } from '../errors';
import type { EventBus } from '../event-bus';
import type { Clock } from '../ports';

export type TriageDeps = {
  archive: Archive;
  triage: TriageStore;
  search: SearchStore;
  events: EventBus;
  clock: Clock;
};

export const DEFAULT_SEARCH_LIMIT = 50;

/**
 * The owner's triage commands (done, snooze, labels, notes, mark unread) and message search.
 * Listens to saved messages so a conversation put away comes back when the customer writes again.
 */
export class TriageService {
  readonly #deps: TriageDeps;
  readonly #unsubscribe: () => void;

  constructor(deps: TriageDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.events.on('inbox:messageSaved', ({ message }) => {
      if (message.direction !== 'in') return;
      const reopened = deps.triage.reopenForMessage(message.id);
      if (reopened) deps.events.emit('triage:changed', reopened);
    });
  }

  close(): void {
    this.#unsubscribe();
  }

  #changed(conversationId: string, triage: Triage | null): Triage {
    if (triage === null) throw unknownConversation(conversationId);
    this.#deps.events.emit('triage:changed', triage);
    return triage;
  }

  readonly handlers = {
    list: async (): Promise<InvokeOutput<'triage:list'>> => ({ items: this.#deps.triage.list() }),

    setDone: async ({ conversationId, isDone }: InvokeParsedInput<'triage:setDone'>) =>
      this.#changed(
        conversationId,
        this.#deps.triage.setDone(conversationId, isDone, this.#deps.clock.now()),
      ),

    snooze: async ({ conversationId, until }: InvokeParsedInput<'triage:snooze'>) => {
      if (until !== null && until <= this.#deps.clock.now()) {
        throw new AppError('INVALID_INPUT', 'Choose a time in the future to snooze until.', {
          detail: detail('snoozeInPast'),
        });
      }
      return this.#changed(conversationId, this.#deps.triage.snooze(conversationId, until));
    },

    setLabels: async ({ conversationId, labels }: InvokeParsedInput<'triage:setLabels'>) =>
      this.#changed(conversationId, this.#deps.triage.setLabels(conversationId, labels)),

    setNote: async ({ conversationId, note }: InvokeParsedInput<'triage:setNote'>) =>
      this.#changed(
        conversationId,
        this.#deps.triage.setNote(conversationId, note, this.#deps.clock.now()),
      ),

    markUnread: async ({
      conversationId,
    }: InvokeParsedInput<'triage:markUnread'>): Promise<InvokeOutput<'triage:markUnread'>> => {
      const conversation = this.#deps.archive.conversations.markUnread(conversationId);
      if (conversation === null) throw unknownConversation(conversationId);
      this.#deps.events.emit('inbox:conversationSaved', conversation);
      return { conversation };
    },

    searchMessages: async ({
      query,
      limit,
    }: InvokeParsedInput<'search:messages'>): Promise<InvokeOutput<'search:messages'>> => {
      const hits = this.#deps.search.searchMessages(query, limit ?? DEFAULT_SEARCH_LIMIT);
      const conversations = [...new Set(hits.map((hit) => hit.conversationId))].flatMap((id) => {
        const conversation = this.#deps.archive.queries.findConversation(id);
        return conversation ? [conversation] : [];
      });
      return { hits, conversations };
    },
  };
}

function unknownConversation(conversationId: string): AppError {
  return new AppError('INVALID_INPUT', `There is no conversation ${conversationId}.`, {
    detail: detail('conversationMissing'),
  });
}
