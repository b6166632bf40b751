import type { Conversation, Message } from '../../../shared/domain/schemas';
import {
  NotificationSettingsSchema,
  type NotificationSettings,
  type NotifyLanguage,
} from '../../../shared/ipc/notifications-contract';
import type { Database } from '../archive/database';
import type { EventBus } from '../event-bus';
import type { HandlersFor } from '../ipc/dispatch';
import type { Clock, KeyValueStore, Logger, Notifier } from '../ports';
import { burstText, notificationText, unreadText } from './notification-text';

export type DmNotificationsDeps = {
  events: EventBus;
  notifier: Notifier;
  kv: KeyValueStore;
  clock: Clock;
  logger: Logger;
  /** Conversations with at least one unread message: the number on the dock/taskbar badge. */
  unreadConversations: () => number;
};

const SETTINGS_KEY = 'notifications';
/** Older messages are history arriving late (a backlog after downtime), not something to ring for. */
export const FRESH_MS = 10 * 60 * 1000;
/** Remembered ids, so an edit or reaction that re-saves a message never rings twice. */
const REMEMBERED = 500;
/**
 * After a notification, further new messages within this window are held and shown as one
 * summary: a burst (Meta redelivering after an outage, a viral post) rings once, not hundreds of
 * times.
 */
export const BURST_MS = 2000;

type Held = { conversation: Conversation; message: Message };

/**
 * Decides when a new DM raises a native notification: a customer's new message, on an account that
 * is not muted, in a conversation the owner is not already looking at. Keeps the unread badge in
 * step with the archive. The notifier port does the showing; clicking opens the conversation.
 */
export class DmNotifications {
  readonly #deps: DmNotificationsDeps;
  readonly #unsubscribe: (() => void)[];
  readonly #notified = new Set<string>();
  #onScreen: string | null = null;
  #language: NotifyLanguage = 'en';
  /** What the indicators show now (count and language), so they are set only on a change. */
  #badge: string | null = null;
  /** While a burst window is open: the messages held for its summary. */
  #held: Held[] | null = null;
  #burstTimer: ReturnType<typeof setTimeout> | null = null;
  #isBadgeQueued = false;

  constructor(deps: DmNotificationsDeps) {
    this.#deps = deps;
    this.#unsubscribe = [
      deps.events.on('inbox:messageSaved', ({ message, conversation }) => {
        if (this.#isNew(message) && conversation.unreadCount > 0) {
          this.#notify(conversation, message);
        }
        this.#refreshBadgeSoon();
      }),
      deps.events.on('inbox:conversationSaved', () => this.#refreshBadgeSoon()),
    ];
    this.refreshBadge();
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.#burstTimer) clearTimeout(this.#burstTimer);
    this.#burstTimer = null;
    this.#held = null;
  }

  /** A burst saves hundreds of messages a second: the badge is counted once per turn. */
  #refreshBadgeSoon(): void {
    if (this.#isBadgeQueued) return;
    this.#isBadgeQueued = true;
    setImmediate(() => {
      this.#isBadgeQueued = false;
      this.refreshBadge();
    });
  }

  /** Sets the badge from the archive; called after anything that may change unread counts. */
  refreshBadge(): void {
    const { notifier, logger } = this.#deps;
    if (notifier.setBadgeCount === undefined) return;
    const count = this.#deps.unreadConversations();
    const shown = `${count} ${this.#language}`;
    if (shown === this.#badge) return;
    this.#badge = shown;
    try {
      notifier.setBadgeCount(count, unreadText(count, this.#language));
    } catch (error) {
      logger.warn('could not set the unread badge', { error: String(error) });
    }
  }

  readonly handlers = {
    'notifications:setPresence': async (input) => {
      this.#onScreen = input.conversationId;
      this.#language = input.language;
      this.refreshBadge(); // the tray and taskbar speak the renderer's language too
      return {};
    },
    'notifications:getSettings': async () => this.#settings(),
    'notifications:setMuted': async (input) => {
      const muted = new Set(this.#settings().mutedAccountIds);
      if (input.isMuted) muted.add(input.accountId);
      else muted.delete(input.accountId);
      const settings: NotificationSettings = { mutedAccountIds: [...muted].sort() };
      this.#deps.kv.set(SETTINGS_KEY, settings);
      return settings;
    },
  } satisfies HandlersFor<'notifications'>;

  /**
   * A customer's message seen for the first time, as it arrived: not an edit, unsend or reaction
   * re-saving it, not an echo of the owner's own reply, not old history.
   */
  #isNew(message: Message): boolean {
    if (message.direction !== 'in' || message.isDeleted || message.editCount > 0) return false;
    if (this.#notified.has(message.id)) return false;
    this.#notified.add(message.id);
    if (this.#notified.size > REMEMBERED) {
      const oldest = this.#notified.values().next().value;
      if (oldest !== undefined) this.#notified.delete(oldest);
    }
    return this.#deps.clock.now() - message.at <= FRESH_MS;
  }

  #notify(conversation: Conversation, message: Message): void {
    if (conversation.id === this.#onScreen) return;
    if (this.#settings().mutedAccountIds.includes(conversation.accountId)) return;
    if (this.#held) {
      this.#held.push({ conversation, message });
      return;
    }
    this.#show(notificationText(conversation, message, this.#language), conversation.id);
    this.#openBurstWindow();
  }

  #openBurstWindow(): void {
    this.#held = [];
    this.#burstTimer = setTimeout(() => {
      const held = this.#held ?? [];
      this.#held = null;
      this.#burstTimer = null;
      const last = held.at(-1);
      if (!last) return;
      this.#show(
        held.length === 1
          ? notificationText(last.conversation, last.message, this.#language)
          : burstText(held, this.#language),
        last.conversation.id, // a click opens the newest of them
      );
      this.#openBurstWindow(); // a burst that goes on rings once per window
    }, BURST_MS);
    this.#burstTimer.unref?.();
  }

  #show({ title, body }: { title: string; body: string }, conversationId: string): void {
    // The browser UI shows it with the Notification API; the desktop shows the native one.
    this.#deps.events.emit('notifications:raised', { conversationId, title, body });
    try {
      this.#deps.notifier.notify(title, body, () =>
        this.#deps.events.emit('notifications:opened', { conversationId }),
      );
    } catch (error) {
      // A desktop without a notification service must not stop the message reaching the inbox.
      this.#deps.logger.warn('could not show a notification', { error: String(error) });
    }
  }

  #settings(): NotificationSettings {
    const parsed = NotificationSettingsSchema.safeParse(this.#deps.kv.get(SETTINGS_KEY) ?? {});
    if (parsed.success) return parsed.data;
    this.#deps.logger.warn('notification settings unreadable; using defaults');
    return { mutedAccountIds: [] };
  }
}

/** The badge number straight from the archive: counted when something changed. */
export function unreadConversationCount(database: Database): () => number {
  const query = database.prepare(
    'SELECT COUNT(*) AS count FROM conversations WHERE unread_count > 0',
  );
  return () => Number((query.get() as { count: number | bigint }).count);
}
