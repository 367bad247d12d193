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

describe('copy button', () => {
  it('copies over plain HTTP too, where the Clipboard API is missing', async () => {
    const { CopyButton } = await import('@/components/ui/copy-button');
    expect(window.isSecureContext && navigator.clipboard).toBeFalsy();
    let copied = '';
    const execCommand = vi.fn(() => {
      copied = document.querySelector('textarea')?.value ?? '';
      return true;
    });
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    render(<CopyButton value="mq_secret" />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    });
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(copied).toBe('mq_secret');
    expect(screen.getByRole('button').textContent).toBe('Copied');
  });

  it('says so when copying is refused', async () => {
    const { CopyButton } = await import('@/components/ui/copy-button');
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    render(<CopyButton value="mq_secret" />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    });
    expect(screen.getByRole('button').textContent).toBe('Copy failed: select the text');
  });

  it('copies a video\'s stream link as an absolute URL over plain HTTP', async () => {
    const { ShareLink } = await import('@/components/videos/share-link');
    let copied = '';
    Object.defineProperty(document, 'execCommand', {
      value: () => {
        copied = document.querySelector('textarea')?.value ?? '';
        return true;
      },
      configurable: true,
    });
    render(<ShareLink path="/api/videos/v1/hls/master.m3u8?sig=abc" />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy stream link' }));
    });
    expect(copied).toBe(`${window.location.origin}/api/videos/v1/hls/master.m3u8?sig=abc`);
    expect(screen.getByRole('button').textContent).toBe('Copied');
  });
});
