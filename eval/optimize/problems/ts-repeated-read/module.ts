// Translates the UI strings of a screen from the locale's catalogue file, for the settings window.

/**
 * The translation of each key, or the key itself when the catalogue has none. `readCatalog()` returns the current
 * text of the locale's JSON catalogue (an object of key → text); it is the project's file-reading helper, passed in so
 * tests need no files.
 */
export function translateAll(keys: string[], readCatalog: () => string): string[] {
  return keys.map((key) => {
    const catalogue = JSON.parse(readCatalog()) as Record<string, unknown>;
    const text = catalogue[key];
    return typeof text === 'string' ? text : key;
  });
}
