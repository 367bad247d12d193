// @vitest-environment jsdom
// components/charts: recharts wrapped once. jsdom cannot lay out SVG, so these pin what does not need
// layout: empty states, proportions, the themed tooltip, and the bandwidth chart built on them.
import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { BarList, ChartTooltip, StatCard, TimeSeriesChart } from '@/components/charts';
import { BandwidthChart } from '@/components/servers/bandwidth-chart';

describe('charts', () => {
  test('a time series without points shows its empty text under the caption', () => {
    render(<TimeSeriesChart title="Plays" label="Plays per hour" points={[]} series={[{ key: 'plays', name: 'Plays' }]} emptyText="No plays yet." />);
    expect(screen.getByRole('figure', { name: 'Plays per hour' }).textContent).toBe('PlaysNo plays yet.');
  });

  test('the bandwidth chart is a captioned time series', () => {
    render(<BandwidthChart label="Den" points={[]} />);
    const fig = screen.getByRole('figure', { name: 'Bandwidth of Den over the last hour' });
    expect(fig.textContent).toContain('Den · last hour');
    expect(fig.textContent).toContain('No samples yet.');
  });

  test('the tooltip uses theme classes (readable in dark mode) and the formatters', () => {
    const { container } = render(
      <ChartTooltip
        active
        label={0}
        formatLabel={() => '12:00'}
        formatValue={(v) => `${v} kbps`}
        payload={[
          { name: 'LAN', value: 1200, color: '#6366f1', dataKey: 'lanKbps' },
          { name: 'WAN', value: 300, color: '#f59e0b', dataKey: 'wanKbps' },
        ]}
      />,
    );
    const box = container.firstElementChild!;
    expect(box.className).toContain('dark:bg-zinc-900');
    expect(box.className).toContain('dark:text-zinc-100');
    expect(box.textContent).toBe('12:00LAN1200 kbpsWAN300 kbps');
    expect(render(<ChartTooltip active={false} payload={[]} />).container.innerHTML).toBe('');
  });

  test('a bar list scales bars to the largest value and says when empty', () => {
    render(
      <BarList
        title="Top users"
        items={[
          { key: 'a', label: 'alice', value: 40 },
          { key: 'b', label: 'bob', value: 10 },
        ]}
      />,
    );
    const bars = [...document.querySelectorAll<HTMLElement>('li > span[aria-hidden]')].map((b) => b.style.width);
    expect(bars).toEqual(['100%', '25%']);
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['alice40', 'bob10']);
    render(<BarList title="Top titles" items={[]} emptyText="No plays in this range." />);
    expect(screen.getByText('No plays in this range.')).toBeTruthy();
  });

  test('a stat card shows the change against the previous period', () => {
    render(<StatCard label="Plays" value={120} change={-0.25} />);
    expect(screen.getByText('▼ 25% vs previous period')).toBeTruthy();
  });
});
