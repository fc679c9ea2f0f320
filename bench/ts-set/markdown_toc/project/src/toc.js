/** A table of contents from ATX headings ("## Title"), skipping fenced code blocks; anchors
 * as GitHub makes them, with -1, -2... for repeated titles. */

export function anchorFor(title) {
  return title
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function headings(markdown) {
  const found = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const match = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) found.push({ level: match[1].length, title: match[2] });
  }
  return found;
}

export function tableOfContents(markdown, { minLevel = 2, maxLevel = 3 } = {}) {
  const seen = new Map();
  const lines = [];
  for (const { level, title } of headings(markdown)) {
    const base = anchorFor(title);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    if (level < minLevel || level > maxLevel) continue;
    const anchor = count === 0 ? base : `${base}-${count}`;
    lines.push(`${"  ".repeat(level - minLevel)}- [${title}](#${anchor})`);
  }
  return lines.join("\n");
}
