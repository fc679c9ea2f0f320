/** `{{ name }}` is escaped, `{{{ name }}}` is raw, `{{ name | fallback }}` has a default;
 * names may be dotted paths into the data. */
import { escapeHtml } from "./escape.js";

const TAG = /\{\{(\{)?\s*([\w.]+)\s*(?:\|\s*([^}]*?)\s*)?\}?\}\}/g;

export function lookup(data, path) {
  let value = data;
  for (const key of path.split(".")) {
    if (value === null || value === undefined) return undefined;
    value = value[key];
  }
  return value;
}

export function render(template, data, { strict = false } = {}) {
  return template.replace(TAG, (_, raw, path, fallback) => {
    let value = lookup(data, path);
    if (value === undefined || value === null) {
      if (fallback !== undefined) value = fallback;
      else if (strict) throw new ReferenceError(`no value for ${path}`);
      else value = "";
    }
    return raw ? String(value) : escapeHtml(value);
  });
}
