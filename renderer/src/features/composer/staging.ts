import {
  ATTACHMENT_MAX_BYTES,
  attachmentTypeOf,
  type OutgoingAttachmentType,
} from '../../../../shared/ipc/sending-contract';

/**
 * At most this many files wait in the tray: Instagram takes up to 10 attachments in one send
 * (docs/platform.md#text-limits), and a tray of 30 pictures is no longer a preview.
 */
export const MAX_STAGED_FILES = 10;

export type StagedFile = {
  id: string;
  file: File;
  kind: OutgoingAttachmentType;
  /** Sent as its own text right after the file: Instagram has no captions on attachments. */
  caption: string;
};

/** Why a file stays out of the tray, said to the owner by name. */
export type StagingRefusal =
  | { reason: 'unsupported'; name: string }
  | { reason: 'empty'; name: string }
  | { reason: 'tooLarge'; name: string; megabytes: number }
  | { reason: 'tooMany'; count: number; max: number };

let nextId = 0;

/**
 * Which of `files` join a tray already holding `stagedCount`: the formats and sizes Instagram
 * accepts (main checks again before keeping a file), up to MAX_STAGED_FILES. Everything left out
 * comes back with a reason; files over the cap are counted, not listed.
 */
export function stageFiles(
  stagedCount: number,
  files: readonly File[],
): { staged: StagedFile[]; refused: StagingRefusal[] } {
  const staged: StagedFile[] = [];
  const refused: StagingRefusal[] = [];
  let overCap = 0;
  for (const file of files) {
    const kind = attachmentTypeOf(file.type);
    if (kind === null) refused.push({ reason: 'unsupported', name: file.name });
    else if (file.size === 0) refused.push({ reason: 'empty', name: file.name });
    else if (file.size > ATTACHMENT_MAX_BYTES[kind])
      refused.push({
        reason: 'tooLarge',
        name: file.name,
        megabytes: ATTACHMENT_MAX_BYTES[kind] / (1024 * 1024),
      });
    else if (stagedCount + staged.length >= MAX_STAGED_FILES) overCap += 1;
    else staged.push({ id: `staged-${++nextId}`, file, kind, caption: '' });
  }
  if (overCap > 0) refused.push({ reason: 'tooMany', count: overCap, max: MAX_STAGED_FILES });
  return { staged, refused };
}
