/**
 * A small preview of one image, made once by the desk core and cached there (see
 * electron/services/images/thumbnailer.ts): the inbox never fetches or decodes a 15 MB file just to
 * show a stamp-sized picture.
 *
 * At most two previews load at a time. In browser mode every request shares the browser's six
 * connections to the bridge, and a preview the core is still making holds its connection: without
 * a limit, a screenful of new studies would queue the search and the image bytes behind them.
 */
import { useEffect, useState } from 'react';
import { useDeskClient } from '../../lib/query';
import { instanceUrl } from './image-ids';

export function thumbnailUrl(instanceId: number, transport: 'ipc' | 'bridge'): string {
  return `${instanceUrl(instanceId, transport)}/thumbnail`;
}

const MAX_LOADING = 2;
let loading = 0;
const waiting: Array<() => void> = [];

/** Resolves when a loading slot is free; the returned function gives it back. */
function takeSlot(onGranted: (release: () => void) => void): () => void {
  let released = false;
  let granted = false;
  const release = () => {
    if (released) return;
    released = true;
    if (!granted) {
      const i = waiting.indexOf(grant);
      if (i >= 0) waiting.splice(i, 1);
      return;
    }
    loading--;
    waiting.shift()?.();
  };
  const grant = () => {
    granted = true;
    loading++;
    onGranted(release);
  };
  if (loading < MAX_LOADING) grant();
  else waiting.push(grant);
  return release;
}

export function Thumbnail({ instanceId, size = 56 }: { instanceId: number; size?: number }) {
  const client = useDeskClient();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [done, setDone] = useState<(() => void) | null>(null);

  useEffect(() => {
    setSrc(null);
    setFailed(false);
    const release = takeSlot((give) => {
      setDone(() => give);
      setSrc(thumbnailUrl(instanceId, client.transport));
    });
    // Scrolled away before it loaded: the slot goes to the next preview.
    return release;
  }, [instanceId, client.transport]);

  if (failed) return <span className="thumb thumb-missing" aria-hidden="true" style={{ width: size, height: size }} />;
  if (!src) return <span className="thumb thumb-waiting" aria-hidden="true" style={{ width: size, height: size }} />;
  return (
    <img
      className="thumb"
      src={src}
      alt=""
      width={size}
      height={size}
      decoding="async"
      draggable={false}
      onLoad={() => done?.()}
      onError={() => {
        done?.();
        setFailed(true);
      }}
    />
  );
}
