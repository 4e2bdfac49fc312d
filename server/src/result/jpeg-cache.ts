/**
 * Rendered JPEGs kept in memory as phones get them (progressive, after jpegtran), least recently
 * used out first, bounded in bytes. Rendering a 15 MB DX takes the PACS 60–100 ms (FIELD-NOTES)
 * and the conversion more; fifty phones opening the same result, or one phone scrolling back,
 * should not each cost that. Keys are instance UID + size; access control
 * happens before the cache is consulted.
 */
export interface JpegCache {
  get(key: string): Buffer | undefined;
  set(key: string, bytes: Buffer): void;
}

export function createJpegCache(maxBytes = 64 * 1024 * 1024): JpegCache {
  const map = new Map<string, Buffer>();
  let total = 0;
  return {
    get(key) {
      const v = map.get(key);
      if (v) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, bytes) {
      if (bytes.length > maxBytes / 4) return;
      const old = map.get(key);
      if (old) {
        total -= old.length;
        map.delete(key);
      }
      map.set(key, bytes);
      total += bytes.length;
      for (const [k, v] of map) {
        if (total <= maxBytes) break;
        map.delete(k);
        total -= v.length;
      }
    },
  };
}
