/** application/x-www-form-urlencoded query strings: repeated keys become arrays. */

export type Query = Record<string, string | string[]>;

function decode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, " "));
}

export function parseQuery(text: string): Query {
  const query: Query = {};
  const body = text.startsWith("?") ? text.slice(1) : text;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decode(pair.slice(eq + 1));
    const seen = query[key];
    if (seen === undefined) query[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[key] = [seen, value];
  }
  return query;
}

function encode(part: string): string {
  return encodeURIComponent(part).replace(/%20/g, "+");
}

export function stringifyQuery(query: Query, sort = false): string {
  const keys = Object.keys(query);
  if (sort) keys.sort();
  const pairs: string[] = [];
  for (const key of keys) {
    const value = query[key];
    for (const one of Array.isArray(value) ? value : [value]) pairs.push(`${encode(key)}=${encode(one)}`);
  }
  return pairs.join("&");
}
