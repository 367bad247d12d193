// The heatmap's colour scale: counts fall into equal-width steps of the largest count, and the
// legend names the whole numbers each step holds. Pure, unit-tested.
export const HEAT_LEVELS = 5;

/** 0 for nothing, else 1..levels (the largest value is always the top level). */
export function heatLevel(value: number, max: number, levels = HEAT_LEVELS): number {
  if (!(value > 0) || !(max > 0)) return 0;
  // value·levels/max rather than value/max·levels: integer inputs stay exact (6/10·5 is not 3 in floating point).
  return Math.min(levels, Math.max(1, Math.ceil((value * levels) / max)));
}

export interface HeatLegendStep {
  level: number;
  from: number;
  to: number;
}

/**
 * The whole-number range of each level for counts up to `max`, empty levels left out: max 10 →
 * 0, 1–2, 3–4, 5–6, 7–8, 9–10; max 3 → 0, 1, 2, 3.
 */
export function heatLegend(max: number, levels = HEAT_LEVELS): HeatLegendStep[] {
  const steps: HeatLegendStep[] = [{ level: 0, from: 0, to: 0 }];
  const top = Math.floor(max);
  if (top <= 0) return steps;
  for (let level = 1; level <= levels; level++) {
    const from = Math.floor(((level - 1) * top) / levels) + 1;
    const to = Math.floor((level * top) / levels);
    if (from <= to) steps.push({ level, from, to });
  }
  return steps;
}

export function formatLegendStep(step: HeatLegendStep): string {
  return step.from === step.to ? String(step.from) : `${step.from}–${step.to}`;
}
