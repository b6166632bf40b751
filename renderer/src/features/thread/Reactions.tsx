import { useTranslation } from 'react-i18next';
import type { Reaction } from '../../../../shared/domain/schemas';

/** Emoji chips under a bubble; each says who reacted, for screen readers too. */
export function Reactions({ reactions }: { reactions: readonly Reaction[] }) {
  const { t } = useTranslation();
  return (
    <ul className="reactions" aria-label={t('reactions.label')}>
      {reactions.map((reaction, index) => (
        <li key={`${reaction.by}-${index}`} className={`reaction reaction--${reaction.by}`}>
          <span role="img" aria-label={t(`reactions.${reaction.by}`, { emoji: reaction.emoji })}>
            {reaction.emoji}
          </span>
        </li>
      ))}
    </ul>
  );
}
