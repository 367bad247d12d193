import type { Metadata } from 'next';
import { headers } from 'next/headers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Marquee', template: '%s · Marquee' },
  description: 'Operations console for Plex, Jellyfin and Emby servers and the *arr apps around them',
  icons: { icon: '/favicon.svg' },
  robots: { index: false, follow: false },
};

// Applies the saved theme (or the OS preference) before first paint, so there is no flash.
const themeScript = `(function(){try{var t=localStorage.getItem('marquee-theme');var d=t?t==='dark':matchMedia('(prefers-color-scheme: dark)').matches;document.documentElement.classList.toggle('dark',d);}catch(e){}})();`;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
