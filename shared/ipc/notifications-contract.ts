import { z } from 'zod';

/** The languages a notification can be written in: the renderer's four catalogues. */
export const NOTIFY_LANGUAGES = ['en', 'pt-BR', 'es', 'de'] as const;
export type NotifyLanguage = (typeof NOTIFY_LANGUAGES)[number];

export const NotificationSettingsSchema = z.object({
  /** Accounts whose new messages raise no notification (the unread badge still counts them). */
  mutedAccountIds: z.array(z.string()).default([]),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export const notificationsInvokeContract = {
  /**
   * What the owner is looking at: the open conversation while the window is visible and focused,
   * null otherwise. A new message there raises no notification. Also says which language to use.
   */
  'notifications:setPresence': {
    input: z.object({
      conversationId: z.string().min(1).nullable(),
      language: z.enum(NOTIFY_LANGUAGES),
    }),
    output: z.object({}),
  },
  'notifications:getSettings': { input: z.void(), output: NotificationSettingsSchema },
  'notifications:setMuted': {
    input: z.object({ accountId: z.string().min(1), isMuted: z.boolean() }),
    output: NotificationSettingsSchema,
  },
} as const;

export const notificationsEventContract = {
  /** The owner clicked a notification: open this conversation. */
  'notifications:opened': z.object({ conversationId: z.string() }),
  /**
   * A new message deserves a notification (main decided: not muted, not on screen, fresh). The
   * browser UI shows it itself, having no native notifier; the desktop app already showed it.
   */
  'notifications:raised': z.object({
    conversationId: z.string(),
    title: z.string(),
    body: z.string(),
  }),
} as const;
