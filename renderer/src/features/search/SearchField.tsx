import { Search } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button';
import { useApp } from '../../store/use-app';

/**
 * The search field at the top of the conversation list: a button that looks like one and opens
 * the search dialog, as Ctrl/Cmd+K does (its hint is shown, not read: the sheet lists the keys).
 */
export function SearchField() {
  const { t } = useTranslation();
  const openSearch = useApp((state) => state.openSearch);
  return (
    <Button variant="quiet" className="search-field" onPress={openSearch}>
      <Search size={16} strokeWidth={1.5} aria-hidden="true" />
      <span className="search-field__placeholder">{t('search.placeholder')}</span>
      <kbd aria-hidden="true">Ctrl/⌘ K</kbd>
    </Button>
  );
}
