// @vitest-environment jsdom
// Search as people type it: the library's search field updates the results (the URL) a moment after
// typing stops, keeping the form's other filters and dropping the page number.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchBox } from '@/components/videos/search-box';

const replace = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ replace }) }));
afterEach(() => {
  replace.mockReset();
  vi.useRealTimers();
});

describe('SearchBox', () => {
  it('navigates once, 300 ms after the last keystroke, with the typed words and the other filters', () => {
    vi.useFakeTimers();
    render(
      <form>
        <input type="hidden" name="view" defaultValue="all" />
        <input name="category" defaultValue="Medicine" aria-label="Category" />
        <input name="page" defaultValue="" aria-label="Page" />
        <label>
          Search
          <SearchBox />
        </label>
      </form>,
    );
    const box = screen.getByLabelText('Search');
    fireEvent.change(box, { target: { value: 'su' } });
    act(() => void vi.advanceTimersByTime(200));
    fireEvent.change(box, { target: { value: 'surg' } });
    act(() => void vi.advanceTimersByTime(299));
    expect(replace).not.toHaveBeenCalled();
    act(() => void vi.advanceTimersByTime(1));
    expect(replace).toHaveBeenCalledTimes(1);
    expect(replace).toHaveBeenCalledWith('/library?view=all&category=Medicine&q=surg', { scroll: false });
  });
});
