/**
 * How long after a customer's message Instagram lets the business answer (docs/platform.md,
 * "Reply windows"). Main refuses sends outside them and the renderer counts down to them, so both
 * read these. The emulator keeps its own copy on purpose: it plays Meta, and must catch Inlet
 * getting these wrong rather than agree with it.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** Any reply, within 24 hours of the customer's latest message. */
export const REPLY_WINDOW_MS = DAY_MS;

/** A reply written by a person and tagged HUMAN_AGENT (needs App Review): up to 7 days. */
export const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;

/** The one private reply to a comment: within 7 days of the comment. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * DAY_MS;
