import type { FailureReason } from '../../../shared/domain/failure-reason';
import { sendFailure, sendErrorOf } from '../../../shared/domain/failure-reason';
import { SendErrorKeySchema, SendErrorVarsSchema } from '../../../shared/domain/send-errors';
import { parseJsonOrNull } from './json-text';

/**
 * A message's reason as the archive keeps it: the English sentence in `error`, its `sendError` key
 * and variables in `error_key` and `error_vars` (both null for a reason without a key, and for rows
 * written before keys existed). The only place that maps between the two shapes.
 */
export type ReasonColumns = {
  error: string | null;
  error_key: string | null;
  error_vars: string | null;
};

export function reasonColumns(reason: FailureReason | null): ReasonColumns {
  const send = reason === null ? null : sendErrorOf(reason);
  return {
    error: reason?.text ?? null,
    error_key: send?.key ?? null,
    error_vars: send?.vars ? JSON.stringify(send.vars) : null,
  };
}

export function reasonFromColumns(row: ReasonColumns): FailureReason | null {
  if (row.error === null) return null;
  // A key this build does not know (a newer Inlet wrote it) falls back to the English text.
  const key = SendErrorKeySchema.safeParse(row.error_key);
  if (!key.success) return { text: row.error, detail: null };
  const vars = SendErrorVarsSchema.nullable().catch(null).parse(parseJsonOrNull(row.error_vars));
  return sendFailure(row.error, key.data, vars);
}
