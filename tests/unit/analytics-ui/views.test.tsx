// @vitest-environment jsdom
// The analytics view's markup that needs no layout: the heatmap's cells and legend, and the top
// lists (links into history, one list expanded at a time), the dashboard's last-7-days strip.
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { HourHeatmap } from '@/components/analytics/analytics-charts';
import { Last7DaysStrip } from '@/components/analytics/last-7-days-strip';
import { TopLists } from '@/components/analytics/top-lists';
import { TOP_KEYS, type TopKey, type TopRow } from '@/components/analytics/types';

describe('hour × weekday heatmap', () => {
  test('every cell names its day, hour and plays; rows start on Monday; the legend names the steps', () => {
    render(
      <HourHeatmap
        timezone="Europe/Paris"
        cells={[
          { weekday: 0, hour: 23, plays: 10 },
          { weekday: 1, hour: 9, plays: 1 },
        ]}
      />,
    );
    const fig = screen.getByRole('figure', { name: 'Plays by hour of day and day of week' });
    expect(fig.textContent).toContain('(Europe/Paris)');
    const rows = within(fig).getAllByRole('row');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['Day', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    const sunday = within(fig).getByRole('cell', { name: 'Sunday 23:00–00:00: 10 plays' });
    expect(sunday.getAttribute('title')).toBe('Sunday 23:00–00:00: 10 plays');
    expect(sunday.className).toContain('bg-indigo-800');
    expect(within(fig).getByRole('cell', { name: 'Monday 09:00–10:00: 1 play' }).className).toContain('bg-indigo-100');
    expect(within(fig).getByRole('cell', { name: 'Monday 10:00–11:00: 0 plays' }).className).toContain('bg-zinc-100');
    expect(within(fig).getAllByRole('cell')).toHaveLength(7 * 24);
    expect(within(fig).getByRole('group', { name: 'Plays legend' }).textContent).toBe('Plays:01–23–45–67–89–10');
  });

  test('no plays shows the empty text instead of a grid', () => {
    render(<HourHeatmap timezone="UTC" cells={[{ weekday: 3, hour: 3, plays: 0 }]} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('No plays in this range.')).toBeTruthy();
  });
});

const rows = (n: number, prefix: string): TopRow[] => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i + 1}`, plays: 100 - i, watchTimeS: 3600 * (n - i) }));
const top = Object.fromEntries(TOP_KEYS.map((k) => [k, k === 'users' ? rows(10, 'user') : rows(2, k)])) as Record<TopKey, TopRow[]>;
const scope = { from: '2026-11-22T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z', serverId: 's1' };

describe('top lists', () => {
  test('rows link to their history where history can filter; others are plain text', () => {
    render(<TopLists top={top} scope={scope} expanded={null} expandedRows={null} expandedLoading={false} onExpand={() => {}} />);
    const users = screen.getByRole('table', { name: 'Users' });
    const link = within(users).getByRole('link', { name: 'user1' });
    expect(link.getAttribute('href')).toBe('/history?mediaUser=user1&from=2026-11-22T00%3A00%3A00.000Z&to=2026-11-29T00%3A00%3A00.000Z&serverId=s1');
    expect(within(users).getAllByRole('row')[1]!.textContent).toBe('1user110010 h 0 m');
    const platforms = screen.getByRole('table', { name: 'Platforms' });
    expect(within(platforms).queryByRole('link')).toBeNull();
    expect(platforms.textContent).toContain('platforms1');
  });

  test('a full list offers its top 100; a short one does not', () => {
    const onExpand = vi.fn();
    render(<TopLists top={top} scope={scope} expanded={null} expandedRows={null} expandedLoading={false} onExpand={onExpand} />);
    const buttons = screen.getAllByRole('button', { name: /Show top 100/ });
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(buttons[0]!);
    expect(onExpand).toHaveBeenCalledWith('users');
  });

  test('the expanded list shows the longer rows, and collapses on its button', () => {
    const onExpand = vi.fn();
    render(<TopLists top={top} scope={scope} expanded="users" expandedRows={rows(40, 'user')} expandedLoading={false} onExpand={onExpand} />);
    expect(within(screen.getByRole('table', { name: 'Users' })).getAllByRole('row')).toHaveLength(41);
    const button = screen.getByRole('button', { name: /Show top 10 users/ });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(button);
    expect(onExpand).toHaveBeenCalledWith(null);
  });
});

describe("the dashboard's last 7 days", () => {
  test('plays, watch time, top users and the top items of movies and shows together, each linking to its history', () => {
    const report = {
      range: { key: '7d', from: '2026-11-22T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z', timezone: 'UTC' },
      summary: { plays: 1234, activeUsers: 3, watchTimeS: 7260, completionRate: 0.5, transcodeRate: 0.1 },
      top: { ...top, movies: [{ name: 'Heat', plays: 3, watchTimeS: 1 }], shows: [{ name: 'Severance', plays: 9, watchTimeS: 1 }] },
    };
    render(<Last7DaysStrip report={report} />);
    const strip = screen.getByRole('region', { name: 'Last 7 days' });
    expect(within(strip).getByTestId('last-7-days-plays').textContent).toBe('1,234');
    expect(strip.textContent).toContain('2 h 1 m');
    expect(within(within(strip).getByTestId('last-7-days-users')).getAllByRole('listitem')).toHaveLength(5);
    const items = within(strip).getByTestId('last-7-days-items');
    expect(within(items).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Severanceshow9 plays', 'Heatmovie3 plays']);
    expect(within(items).getByRole('link', { name: 'Severance' }).getAttribute('href')).toContain('q=Severance&mediaType=episode');
    expect(within(strip).getByRole('link', { name: 'Open analytics →' }).getAttribute('href')).toBe('/analytics');
  });
});
