/**
 * The desktop's one IPC message for events: everything the core emitted in one turn of main's event
 * loop, in order, as [channel, payload] pairs. The preload hands a batch to the page's listeners in
 * one task, so React renders a burst once instead of once per message (the headless shell's
 * WebSocket does the same with its `events` frame). Kept apart from the contract so that the
 * preload, a small sandboxed bundle, can import the name without zod and the schemas.
 */
export const EVENT_BATCH_CHANNEL = 'inlet:events';

export type EventBatch = readonly (readonly [channel: string, payload: unknown])[];
