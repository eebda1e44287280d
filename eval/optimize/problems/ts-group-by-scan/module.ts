// Groups log lines by their normalised message template, for the "similar errors" panel.

export interface Group {
  template: string;
  lines: number[];
}

/** Replaces the numbers in a message with '#', so 'took 12 ms' and 'took 7 ms' share a template. */
export function templateOf(message: string): string {
  return message.replace(/\d+/g, '#').trim();
}

/** Groups line indices by template, groups in order of first appearance, indices ascending. */
export function groupByTemplate(messages: string[]): Group[] {
  const groups: Group[] = [];
  messages.forEach((message, index) => {
    const template = templateOf(message);
    const group = groups.find((g) => g.template === template);
    if (group) group.lines.push(index);
    else groups.push({ template, lines: [index] });
  });
  return groups;
}
