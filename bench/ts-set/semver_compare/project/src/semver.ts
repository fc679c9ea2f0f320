/** Semantic versions (semver.org 2.0): parse, compare and sort; build metadata is ignored. */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
}

const PATTERN = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parse(text: string): Version {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new SyntaxError(`not a semantic version: ${text}`);
  const prerelease = match[4]
    ? match[4].split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part))
    : [];
  return { major: +match[1], minor: +match[2], patch: +match[3], prerelease };
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1; // numeric identifiers sort before alphanumeric ones
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compare(left: string, right: string): number {
  const a = parse(left);
  const b = parse(right);
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A version without a prerelease ranks above any prerelease of it.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length === 0 ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    if (a.prerelease[i] === undefined) return -1;
    if (b.prerelease[i] === undefined) return 1;
    const order = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

export function sortVersions(versions: string[]): string[] {
  return [...versions].sort(compare);
}

export function maxSatisfying(versions: string[], atLeast: string): string | undefined {
  const ok = versions.filter((v) => compare(v, atLeast) >= 0);
  return ok.length ? sortVersions(ok)[ok.length - 1] : undefined;
}
