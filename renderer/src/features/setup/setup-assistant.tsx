import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { SetupAssistant } from './SetupAssistant';

type SetupAssistantControl = { open: () => void };

const SetupAssistantContext = createContext<SetupAssistantControl | null>(null);

/**
 * The guided setup, opened from the sandbox banner, Settings and the Health panel; one assistant
 * at a time, over the inbox.
 */
export function SetupAssistantProvider({ children }: { children: ReactNode }) {
  const [isOpen, setOpen] = useState(false);
  const open = useCallback(() => setOpen(true), []);
  const control = useMemo(() => ({ open }), [open]);
  return (
    <SetupAssistantContext.Provider value={control}>
      {children}
      {isOpen && <SetupAssistant onClose={() => setOpen(false)} />}
    </SetupAssistantContext.Provider>
  );
}

/** Null where no provider is mounted (a panel rendered on its own): then there is nothing to offer. */
export function useSetupAssistant(): SetupAssistantControl | null {
  return useContext(SetupAssistantContext);
}
