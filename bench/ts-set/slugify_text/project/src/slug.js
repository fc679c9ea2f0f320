/** URL slugs from human titles: accents folded to ASCII, anything else becomes one separator. */

const REPLACEMENTS = { "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "&": " and " };

export function slugify(title, { separator = "-", maxLength = 80 } = {}) {
  const folded = title
    .toLowerCase()
    .replace(/[ßæøœ&]/g, (ch) => REPLACEMENTS[ch])
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
  let slug = folded
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^${escape(separator)}+|${escape(separator)}+$`, "g"), "");
  if (slug.length > maxLength) {
    slug = slug.slice(0, maxLength);
    const cut = slug.lastIndexOf(separator);
    if (cut > 0) slug = slug.slice(0, cut);
  }
  return slug;
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A slug not yet in `taken`: "title", then "title-2", "title-3"... */
export function uniqueSlug(title, taken) {
  const base = slugify(title);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
