import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { textRoom } from '../../../../shared/domain/message-text';
import { attachmentKindName } from '../thread/attachment-kind';
import { CharacterCounter } from './CharacterCounter';
import type { StagedFile, StagingRefusal } from './staging';

/**
 * Files waiting to be sent, above the text box: a thumbnail (or the file's kind and name), a
 * caption and a remove button each, and what was left out and why. `onKeyDown` is the composer's,
 * so Enter sends and Escape cancels from a caption too.
 */
export function AttachmentTray({
  files,
  refusals,
  onCaption,
  onRemove,
  onKeyDown,
}: {
  files: readonly StagedFile[];
  refusals: readonly StagingRefusal[];
  onCaption: (id: string, caption: string) => void;
  onRemove: (id: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
}) {
  const { t } = useTranslation();
  if (files.length === 0 && refusals.length === 0) return null;
  return (
    <div className="tray" role="group" aria-label={t('tray.label')}>
      {files.length > 0 && (
        <ul className="tray__list">
          {files.map((item) => (
            <TrayItem
              key={item.id}
              item={item}
              onCaption={(caption) => onCaption(item.id, caption)}
              onRemove={() => onRemove(item.id)}
              onKeyDown={onKeyDown}
            />
          ))}
        </ul>
      )}
      {refusals.length > 0 && (
        <ul className="tray__refusals" role="status">
          {refusals.map((refusal, index) => (
            <li key={index}>{refusalText(refusal, t)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TrayItem({
  item,
  onCaption,
  onRemove,
  onKeyDown,
}: {
  item: StagedFile;
  onCaption: (caption: string) => void;
  onRemove: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
}) {
  const { t } = useTranslation();
  const captionId = useId();
  const counterId = useId();
  const name = item.file.name;
  return (
    <li className="tray__item">
      <StagedPreview item={item} />
      <label htmlFor={captionId} className="visually-hidden">
        {t('tray.caption', { name })}
      </label>
      <input
        id={captionId}
        className="tray__caption"
        value={item.caption}
        placeholder={t('tray.captionPlaceholder')}
        aria-describedby={counterId}
        aria-invalid={textRoom(item.caption.trim()).state === 'over'}
        onChange={(event) => onCaption(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <CharacterCounter id={counterId} text={item.caption.trim()} />
      <button
        type="button"
        className="button button--quiet button--small tray__remove"
        aria-label={t('tray.remove', { name })}
        title={t('tray.remove', { name })}
        onClick={onRemove}
      >
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}

/**
 * An image's thumbnail, read from the file itself (a data: URL, which the page's policy admits);
 * other kinds, and images the browser cannot decode (a 0×0 or damaged file), show kind and name.
 */
function StagedPreview({ item }: { item: StagedFile }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [isBroken, setBroken] = useState(false);
  useEffect(() => {
    if (item.kind !== 'image') return;
    const reader = new FileReader();
    reader.onload = () => setSrc(typeof reader.result === 'string' ? reader.result : null);
    reader.onerror = () => setBroken(true);
    reader.readAsDataURL(item.file);
    return () => reader.abort();
  }, [item.file, item.kind]);

  if (item.kind === 'image' && !isBroken) {
    return src === null ? (
      <span className="tray__thumb tray__thumb--loading" aria-hidden="true" />
    ) : (
      <img className="tray__thumb" src={src} alt={item.file.name} onError={() => setBroken(true)} />
    );
  }
  return (
    <span className="tray__thumb tray__thumb--file">
      <span className="tray__kind">{attachmentKindName(item.kind, t)}</span>
      <span className="tray__name">{item.file.name}</span>
    </span>
  );
}

function refusalText(refusal: StagingRefusal, t: TFunction): string {
  switch (refusal.reason) {
    case 'unsupported':
      return t('tray.unsupported', { name: refusal.name });
    case 'empty':
      return t('tray.empty', { name: refusal.name });
    case 'tooLarge':
      return t('tray.tooLarge', { name: refusal.name, megabytes: refusal.megabytes });
    case 'tooMany':
      return t('tray.tooMany', { count: refusal.count, max: refusal.max });
  }
}
