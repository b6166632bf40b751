/** The part of Electron's `powerMonitor` that says the machine is back. */
export type WakeSource = { on(event: 'resume' | 'unlock-screen', listener: () => void): unknown };

/** Tells the core each time the machine resumes from sleep or the screen is unlocked. */
export function forwardWake(source: WakeSource, woke: () => void): void {
  source.on('resume', woke);
  source.on('unlock-screen', woke);
}
