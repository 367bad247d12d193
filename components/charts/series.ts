// Series colours readable on both themes (Tailwind 500s: indigo, amber, emerald, rose, sky, violet).
export const SERIES_COLORS = ['#6366f1', '#f59e0b', '#10b981', '#f43f5e', '#0ea5e9', '#8b5cf6'] as const;

export interface Series<K extends string = string> {
  /** The data field plotted. */
  key: K;
  /** Legend and tooltip name. */
  name: string;
  /** Defaults to the next of SERIES_COLORS. */
  color?: string;
}

export function colorOf(series: Series, index: number): string {
  return series.color ?? SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** Axis ticks draw in the frame's text colour, so they follow the theme. */
export const axisTick = { fontSize: 11, fill: 'currentColor' } as const;

export const formatClock = (t: number | string) => new Date(Number(t)).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
