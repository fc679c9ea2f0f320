/** Invoices in integer cents. Tax is computed per line in basis points (1% = 100 bp) and
 * rounded half up, as most tax authorities require. */

export interface Line {
  description: string;
  unitCents: number;
  quantity: number;
  taxBasisPoints: number;
  discountPercent?: number;
}

export function roundHalfUp(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

export function lineNet(line: Line): number {
  const gross = line.unitCents * line.quantity;
  const discount = roundHalfUp((gross * (line.discountPercent ?? 0)) / 100);
  return gross - discount;
}

export function lineTax(line: Line): number {
  return roundHalfUp((lineNet(line) * line.taxBasisPoints) / 10_000);
}

export interface Totals {
  net: number;
  tax: number;
  total: number;
  taxByRate: Record<number, number>;
}

export function totals(lines: Line[]): Totals {
  const taxByRate: Record<number, number> = {};
  let net = 0;
  let tax = 0;
  for (const line of lines) {
    if (line.quantity < 0 || !Number.isInteger(line.unitCents)) throw new RangeError(`bad line: ${line.description}`);
    const lineTaxCents = lineTax(line);
    net += lineNet(line);
    tax += lineTaxCents;
    taxByRate[line.taxBasisPoints] = (taxByRate[line.taxBasisPoints] ?? 0) + lineTaxCents;
  }
  return { net, tax, total: net + tax, taxByRate };
}
