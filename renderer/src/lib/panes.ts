import { createContext, useContext } from 'react';

/**
 * Which panes show when the window is too narrow for all three (DESIGN.md's layout): below
 * ~1100 px the customer panel is a drawer, open while `isCustomerOpen`; below ~720 px one pane
 * shows at a time, the list until a conversation opens and again after `showList`. Wider windows
 * ignore both (the CSS decides by width).
 */
export type Panes = {
  isCustomerOpen: boolean;
  setCustomerOpen: (isOpen: boolean) => void;
  showList: () => void;
};

export const PanesContext = createContext<Panes>({
  isCustomerOpen: false,
  setCustomerOpen: () => undefined,
  showList: () => undefined,
});

export function usePanes(): Panes {
  return useContext(PanesContext);
}
