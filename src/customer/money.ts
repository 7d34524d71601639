/** Money in integer minor units of an ISO-4217 currency, and its conversion to the ledger's base currency. */
import { DomainError } from './errors';

/** Largest amount (minor units) one purchase or refund may carry: sums of millions of them stay exact below 2^53. */
export const MAX_AMOUNT = 1_000_000_000_000;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const exponents = new Map<string, number>();

/** The number of minor-unit digits of an ISO-4217 currency (JPY 0, CNY 2, KWD 3), or null for an unknown code. */
export function currencyExponent(currency: string): number | null {
  if (!/^[A-Z]{3}$/.test(currency) || !CURRENCIES.has(currency)) return null;
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

/** A positive decimal such as "7.1234": base-currency units per one unit of the purchase's currency. */
const RATE = /^(0|[1-9]\d{0,8})(?:\.(\d{1,12}))?$/;

export function isExchangeRate(rate: string): boolean {
  const match = RATE.exec(rate);
  return match !== null && /[1-9]/.test(rate);
}

/**
 * `amount` minor units of `currency` in minor units of `base`, at `rate`, rounded half to even,
 * computed in exact integer arithmetic.
 */
export function toBaseAmount(amount: number, currency: string, rate: string, base: string): number {
  const match = RATE.exec(rate);
  const from = currencyExponent(currency);
  const to = currencyExponent(base);
  if (!match || from === null || to === null) throw new DomainError('VALIDATION_FAILED', `cannot convert ${currency} to ${base} at ${rate}`, 'exchangeRate');
  const fraction = match[2] ?? '';
  const numerator = BigInt(amount) * BigInt(match[1] + fraction) * 10n ** BigInt(to);
  const denominator = 10n ** BigInt(fraction.length + from);
  let quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  return Number(quotient);
}

/** `value × part / whole`, rounded half to even, in exact integer arithmetic (a partial refund's base amount). */
export function proportion(value: number, part: number, whole: number): number {
  const numerator = BigInt(value) * BigInt(part);
  const denominator = BigInt(whole);
  let quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  return Number(quotient);
}
