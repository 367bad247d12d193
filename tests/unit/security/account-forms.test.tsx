// @vitest-environment jsdom
// The account screens' API calls: a failure is shown to the user as an alert, not thrown away.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokensSection } from '@/components/account/tokens-section';

const token = { id: 't1', name: 'backup', prefix: 'mq_abcdefg', expiresAt: null, lastUsedAt: null, revokedAt: null, createdAt: new Date(0).toISOString() };

afterEach(() => vi.unstubAllGlobals());

describe('tokens section', () => {
  it('shows why a revoke failed', async () => {
    vi.stubGlobal('confirm', () => true);
    const fetch = vi.fn(async () => Response.json({ error: { code: 'not_found', message: 'Token not found.' } }, { status: 404 }));
    vi.stubGlobal('fetch', fetch);
    render(<TokensSection initial={[token]} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    });
    expect((await screen.findByRole('alert')).textContent).toBe('Token not found.');
    expect(fetch).toHaveBeenCalledWith('/api/tokens/t1', expect.objectContaining({ method: 'DELETE' }));
  });

  it('does nothing when the revoke is not confirmed', async () => {
    vi.stubGlobal('confirm', () => false);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    render(<TokensSection initial={[token]} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    });
    expect(fetch).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
