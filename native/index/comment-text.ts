// Comment text as prose, for file cards: comment markers, separator rules and JSDoc tag lines removed.

/**
 * Comment text as prose: markers, separator rules and JSDoc tag lines (@author, @param {T} x…) dropped — only
 * the description words of @fileoverview and the like are kept — whitespace collapsed.
 */
export function commentText(raw: string): string {
  return (
    raw
      .replace(/^\s*(\/\*+!?|\/\/+!?|#+!?|"""|''')/gm, ' ')
      .replace(/(\*+\/|"""|''')\s*$/gm, ' ')
      .replace(/^\s*\*+/gm, ' ')
      .replace(/@(fileoverview|file|module|overview|description|summary)\b/gi, ' ')
      // Block tags (@param, @returns, @example…) end the description: their continuation lines go with them.
      .replace(/^\s*@\w[\s\S]*$/m, ' ')
      .replace(/@\w+.*$/gm, ' ')
      .replace(/[-=*_~#]{4,}/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
