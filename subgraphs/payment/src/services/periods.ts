// Billing periods in UTC: a month after Jan 31 is Feb 28 (or 29), as card networks and Stripe count them.
import type { BillingInterval } from "@watchflixx/db";

const DAY_MS = 24 * 60 * 60 * 1000;

function daysInUtcMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

export function addUtcMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const day = Math.min(from.getUTCDate(), daysInUtcMonth(targetYear, targetMonth));
  return new Date(
    Date.UTC(targetYear, targetMonth, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()),
  );
}

/** The end of a billing period that starts at `from`. */
export function addBillingInterval(from: Date, interval: BillingInterval): Date {
  return addUtcMonths(from, interval === "YEAR" ? 12 : 1);
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
