import { useCallback } from 'react';
import { useClient, useStudio } from '../store/store.ts';

/**
 * `<img src>` for an image of the open project: the URL carries the project's image key, so a
 * browser cache never shows another project's image with the same id. Undefined (no request at
 * all) until the project, and so its key, is known.
 */
export function useImageUrl(): (id: number) => string | undefined {
  const client = useClient();
  const imageKey = useStudio((state) => state.project?.imageKey ?? null);
  return useCallback(
    (id: number) => (imageKey === null ? undefined : client.imageUrl(imageKey, id)),
    [client, imageKey],
  );
}
