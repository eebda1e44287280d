// Reference: a Map from template to its group (insertion order = first appearance), O(n) lookups in all.

export interface Group {
  template: string;
  lines: number[];
}

export function templateOf(message: string): string {
  return message.replace(/\d+/g, '#').trim();
}

export function groupByTemplate(messages: string[]): Group[] {
  const groups = new Map<string, Group>();
  messages.forEach((message, index) => {
    const template = templateOf(message);
    const group = groups.get(template);
    if (group) group.lines.push(index);
    else groups.set(template, { template, lines: [index] });
  });
  return [...groups.values()];
}
