import { useState } from 'react';
import { stageFiles, type StagedFile, type StagingRefusal } from './staging';

/** The composer's attachment tray: what waits to be sent, and what was just left out and why. */
export function useStagedFiles() {
  const [files, setFiles] = useState<StagedFile[]>([]);
  const [refusals, setRefusals] = useState<StagingRefusal[]>([]);
  return {
    files,
    refusals,
    add: (picked: readonly File[]): void => {
      const { staged, refused } = stageFiles(files.length, picked);
      setFiles([...files, ...staged]);
      setRefusals(refused);
    },
    remove: (id: string): void => {
      setFiles((current) => current.filter((item) => item.id !== id));
      setRefusals([]);
    },
    setCaption: (id: string, caption: string): void => {
      setFiles((current) => current.map((item) => (item.id === id ? { ...item, caption } : item)));
    },
    /** Empties the tray (sent or cancelled) and returns what was in it. */
    take: (): StagedFile[] => {
      setFiles([]);
      setRefusals([]);
      return files;
    },
  };
}
