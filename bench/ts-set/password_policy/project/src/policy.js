/** Checks a password against a policy and says, in words, every rule it breaks. */

export const DEFAULT_POLICY = { minLength: 12, classes: 3, maxRepeat: 3, forbidden: ["password", "qwerty", "123456"] };

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

export function characterClasses(password) {
  return CLASSES.filter((re) => re.test(password)).length;
}

export function longestRepeat(password) {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < password.length; i++) {
    run = i > 0 && password[i] === password[i - 1] ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

export function check(password, policy = DEFAULT_POLICY) {
  const problems = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (characterClasses(password) < policy.classes) problems.push(`at least ${policy.classes} kinds of character`);
  if (longestRepeat(password) > policy.maxRepeat) problems.push(`no character more than ${policy.maxRepeat} times in a row`);
  const lower = password.toLowerCase();
  for (const word of policy.forbidden) if (lower.includes(word)) problems.push(`not "${word}"`);
  return { ok: problems.length === 0, problems };
}

/** Bits of entropy if each character were drawn at random from the classes used. */
export function entropyBits(password) {
  const sizes = [26, 26, 10, 33];
  const pool = CLASSES.reduce((sum, re, i) => sum + (re.test(password) ? sizes[i] : 0), 0);
  return pool === 0 ? 0 : Math.round(password.length * Math.log2(pool));
}
