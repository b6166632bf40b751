import { MessageSquareText } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { IconButton } from '../../components/Button';

/**
 * Opens the saved replies list, the same one "/" opens (DESIGN.md's composer: icon buttons for
 * attach and saved replies), for owners who do not know the shortcut. Focus goes back to the
 * reply box, where ↑/↓ and Enter work the list.
 */
export function SavedRepliesButton({
  isOpen,
  listId,
  onOpen,
}: {
  isOpen: boolean;
  listId: string;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  return (
    <IconButton
      className="composer__icon-button"
      label={t('composer.savedReplies')}
      icon={<MessageSquareText size={20} strokeWidth={1.5} aria-hidden="true" />}
      aria-haspopup="listbox"
      aria-expanded={isOpen}
      aria-controls={isOpen ? listId : undefined}
      onPress={onOpen}
    />
  );
}
