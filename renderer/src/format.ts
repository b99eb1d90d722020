const integer = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? formatCount(Math.round(perSecond)) : perSecond.toFixed(1);
}

export function labelText(label: string): string {
  return label === 'exclude' ? 'excluded' : label;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** 0.6234 → "62.3 %"; null → "—". */
export function formatPercent(fraction: number | null, digits = 1): string {
  return fraction === null || !Number.isFinite(fraction)
    ? '—'
    : `${(fraction * 100).toFixed(digits)} %`;
}

/** 1_234_567 → "1.23 M"; 98_000 → "98 k". */
export function formatParameters(count: number): string {
  if (count >= 1e6) return `${(count / 1e6).toFixed(2)} M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)} k`;
  return String(count);
}

/** Shortest honest text for a float the user may edit again: 0.001 → "0.001", 1e-7 → "1e-7". */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
