/** Formatting cents for display; parsing user input back to cents. */

export function formatCents(cents: number, symbol = "$"): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = String(abs % 100).padStart(2, "0");
  return `${sign}${symbol}${whole}.${fraction}`;
}

export function parseCents(text: string): number {
  const match = /^\s*(-)?\$?(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) throw new SyntaxError(`not an amount: ${JSON.stringify(text)}`);
  const whole = Number(match[2].replace(/,/g, ""));
  const fraction = Number((match[3] ?? "0").padEnd(2, "0"));
  const cents = whole * 100 + fraction;
  return match[1] ? -cents : cents;
}
