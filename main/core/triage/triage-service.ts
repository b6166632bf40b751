import { detail } from '../../../shared/domain/localized-text';
import type { Triage } from '../../../shared/ipc/triage-contract';
import type { Archive } from '../archive/archive';
import type { TriageStore } from '../archive/triage-store';
import { AppError } from '../errors';
import type { EventBus } from '../event-bus';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock } from '../ports';

export type TriageDeps = {
  archive: Archive;
  triage: TriageStore;
  events: EventBus;
  clock: Clock;
};

/**
 * The owner's triage commands (done, snooze, labels, notes, mark unread).
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
    'triage:list': async () => ({ items: this.#deps.triage.list() }),

    'triage:setDone': async ({ conversationId, isDone }) =>
      this.#changed(
        conversationId,
        this.#deps.triage.setDone(conversationId, isDone, this.#deps.clock.now()),
      ),

    'triage:snooze': async ({ conversationId, until }) => {
      if (until !== null && until <= this.#deps.clock.now()) {
        throw new AppError('INVALID_INPUT', 'Choose a time in the future to snooze until.', {
          detail: detail('snoozeInPast'),
        });
      }
      return this.#changed(conversationId, this.#deps.triage.snooze(conversationId, until));
    },

    'triage:setLabels': async ({ conversationId, labels }) =>
      this.#changed(conversationId, this.#deps.triage.setLabels(conversationId, labels)),

    'triage:setNote': async ({ conversationId, note }) =>
      this.#changed(
        conversationId,
        this.#deps.triage.setNote(conversationId, note, this.#deps.clock.now()),
      ),

    'triage:markUnread': async ({ conversationId }) => {
      const conversation = this.#deps.archive.conversations.markUnread(conversationId);
      if (conversation === null) throw unknownConversation(conversationId);
      this.#deps.events.emit('inbox:conversationSaved', conversation);
      return { conversation };
    },
  } satisfies HandlersFor<'triage'>;
}

function unknownConversation(conversationId: string): AppError {
  return new AppError('INVALID_INPUT', `There is no conversation ${conversationId}.`, {
    detail: detail('conversationMissing'),
  });
}
