/** Greedy word wrapping for fixed-width output; a word longer than the width is split. */

export function wrap(text: string, width: number): string[] {
  if (width < 1) throw new RangeError("width must be at least 1");
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line) {
        lines.push(line);
        line = "";
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += " " + rest;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function indent(lines: string[], prefix: string, first = prefix): string[] {
  return lines.map((line, i) => (i === 0 ? first : prefix) + line);
}

export function truncate(text: string, width: number, ellipsis = "…"): string {
  if (text.length <= width) return text;
  return text.slice(0, Math.max(0, width - ellipsis.length)) + ellipsis;
}
