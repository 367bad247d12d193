// recharts is wrapped here once: screens pass data and formatters, never recharts components, so
// the theme (dark mode), tooltips and empty states stay the same on every chart.
export { TimeSeriesChart } from './time-series-chart';
export { StackedBarChart } from './stacked-bar-chart';
export { BarList, type BarListItem } from './bar-list';
export { StatCard } from './stat-card';
export { ChartTooltip } from './chart-tooltip';
export { SERIES_COLORS, type Series } from './series';
export { Heatmap, type HeatmapAxisItem } from './heatmap';
