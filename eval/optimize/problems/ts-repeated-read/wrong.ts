// Fast but wrong: caches the parsed catalogue in the module across calls, so a changed or different catalogue is ignored.

let cached: Record<string, unknown> | undefined;

export function translateAll(keys: string[], readCatalog: () => string): string[] {
  if (keys.length === 0) return [];
  cached ??= JSON.parse(readCatalog()) as Record<string, unknown>;
  const catalogue = cached;
  return keys.map((key) => {
    const text = catalogue[key];
    return typeof text === 'string' ? text : key;
  });
}
