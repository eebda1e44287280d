// Reference: reads and parses the catalogue once per call (it cannot change during the call), not once per key.

export function translateAll(keys: string[], readCatalog: () => string): string[] {
  if (keys.length === 0) return [];
  const catalogue = JSON.parse(readCatalog()) as Record<string, unknown>;
  return keys.map((key) => {
    const text = Object.hasOwn(catalogue, key) ? catalogue[key] : undefined;
    return typeof text === 'string' ? text : key;
  });
}
