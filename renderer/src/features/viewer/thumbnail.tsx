/**
 * A small preview of one image, made once by the desk core and cached there (see
 * electron/services/images/thumbnail.ts): the inbox never fetches or decodes a 15 MB file just to
 * show a stamp-sized picture. Loaded lazily, so only rows on screen ask for theirs.
 */
import { useState } from 'react';
import { useDeskClient } from '../../lib/query';
import { instanceUrl } from './image-ids';

export function thumbnailUrl(instanceId: number, transport: 'ipc' | 'bridge'): string {
  return `${instanceUrl(instanceId, transport)}/thumbnail`;
}

export function Thumbnail({ instanceId, size = 56 }: { instanceId: number; size?: number }) {
  const client = useDeskClient();
  const [failed, setFailed] = useState(false);
  if (failed) return <span className="thumb thumb-missing" aria-hidden="true" />;
  return (
    <img
      className="thumb"
      src={thumbnailUrl(instanceId, client.transport)}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      draggable={false}
      onError={() => setFailed(true)}
    />
  );
}
