'use client';
// Copies the absolute sealed stream URL (relative on the server, made absolute in the browser).
import { CopyButton } from '@/components/ui/copy-button';

export function ShareLink({ path }: { path: string }) {
  return <CopyButton value={() => new URL(path, window.location.origin).toString()} label="Copy stream link" />;
}
