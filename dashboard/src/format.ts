const numbers = new Intl.NumberFormat();
const percents = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimes = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatNumber(value: number | undefined | null): string {
  return numbers.format(value ?? 0);
}

export function formatPercent(part: number, whole: number): string {
  return percents.format(whole > 0 ? part / whole : 0);
}

export function formatDate(iso: string | undefined | null): string {
  return iso ? dates.format(new Date(iso)) : '';
}

export function formatDateTime(iso: string | undefined | null): string {
  return iso ? dateTimes.format(new Date(iso)) : '';
}

/** An instant as a datetime-local input's value: the browser's local time, to the minute. */
export function toDateTimeLocal(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

let regions: Intl.DisplayNames | null | undefined;

/** "US" → "United States" in the browser's language; "unknown" → "Unknown". */
export function countryName(code: string): string {
  if (code === 'unknown' || !/^[A-Z]{2}$/.test(code)) return code === 'unknown' ? 'Unknown' : code;
  if (regions === undefined) {
    try {
      regions = new Intl.DisplayNames(undefined, { type: 'region' });
    } catch {
      regions = null;
    }
  }
  try {
    return regions?.of(code) ?? code;
  } catch {
    return code;
  }
}
