// @vitest-environment jsdom
// The servers screens when the request itself fails (network down): the button comes back and the
// failure is shown, instead of a control stuck in its busy state.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NormalizedSession } from '@/lib/servers/sessions';
import { SessionCard } from '@/components/servers/session-card';
import { ServerForm } from '@/components/servers/server-form';

vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => {} }) }));
afterEach(() => vi.unstubAllGlobals());

const session: NormalizedSession = {
  id: 's1', serverId: 'srv', serverName: 'Home', serverType: 'jellyfin', sessionKey: 'k', mediaUserId: 'u', mediaUser: 'alice',
  title: 'Ozymandias', grandparentTitle: null, parentIndex: null, index: null, mediaType: 'movie', state: 'playing',
  progressMs: 0, durationMs: 1000, player: null, platform: null, product: null, ipAddress: null, isLocal: true,
  decision: 'directplay', videoDecision: 'directplay', audioDecision: 'directplay', sourceResolution: '1080p',
  streamResolution: '1080p', hdr: null, bandwidthKbps: 1000, posterUrl: null, startedAt: new Date(0).toISOString(),
};

describe('servers UI with the network down', () => {
  it('a failed stop request shows an alert and gives the button back', async () => {
    vi.stubGlobal('prompt', () => '');
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    render(<SessionCard s={session} canTerminate />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Stop stream' }));
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not reach Marquee/);
    expect((screen.getByRole('button', { name: 'Stop stream' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a failed save of the server form shows an alert and keeps what was typed', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    render(<ServerForm />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Den' } });
    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'http://10.0.0.2:8096' } });
    fireEvent.change(screen.getByLabelText('X-Plex-Token'), { target: { value: 'secret' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not reach Marquee/);
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Den');
  });
});
