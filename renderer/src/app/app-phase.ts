import type { AppState } from '../store/app-state';

export type AppPhase = 'loading' | 'ready' | 'error';

/** `data-app-state` on the root: "ready" once status and the first conversations page are in. */
export function selectAppPhase(state: AppState): AppPhase {
  if (state.statusLoad.phase === 'error' || state.conversationsLoad.phase === 'error')
    return 'error';
  if (state.statusLoad.phase === 'ready' && state.conversationsLoad.phase === 'ready')
    return 'ready';
  return 'loading';
}
