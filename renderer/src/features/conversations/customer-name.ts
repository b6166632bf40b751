import type { TFunction } from 'i18next';
import type { Conversation } from '../../../../shared/domain/schemas';

/**
 * How a customer is named on screen: their display name first, the @username beside it, and when
 * Instagram gave neither, the tail of their id so two unknown customers are still told apart.
 */
export function customerNames(
  conversation: Pick<Conversation, 'customerName' | 'customerUsername' | 'customerId'>,
  t: TFunction,
): { primary: string; handle: string | null } {
  const handle =
    conversation.customerUsername === null ? null : `@${conversation.customerUsername}`;
  if (conversation.customerName !== null && conversation.customerName.trim() !== '') {
    return { primary: conversation.customerName, handle };
  }
  if (handle !== null) return { primary: handle, handle: null };
  return {
    primary: t('conversations.unknownCustomer', { suffix: conversation.customerId.slice(-4) }),
    handle: null,
  };
}
