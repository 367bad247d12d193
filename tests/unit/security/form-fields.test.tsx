// @vitest-environment jsdom
// Labels must reach their own input even when a page holds two forms with the same field names
// (the admin's create-user and edit-user forms both have "Time zone", "Allowed server ids", …).
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Field, FormError, FormOutcomeLine } from '@/components/ui/form';

describe('Field', () => {
  it('ties each label, hint and error to its own input when two forms share a field name', () => {
    render(
      <>
        <form aria-label="create">
          <Field label="New time zone" name="timezone" hint="IANA name" />
        </form>
        <form aria-label="edit">
          <Field label="Edited time zone" name="timezone" error="Unknown time zone" />
        </form>
      </>,
    );
    const created = screen.getByLabelText('New time zone');
    const edited = screen.getByLabelText('Edited time zone');
    expect(created).not.toBe(edited);
    expect(created.id).not.toBe(edited.id);
    const description = (el: HTMLElement) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' ');
    expect(description(created)).toBe('IANA name');
    expect(description(edited)).toBe('Unknown time zone');
    expect(edited.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('form outcome lines', () => {
  it('announces errors as alerts and confirmations as status, and renders nothing without a message', () => {
    const { container, rerender } = render(<FormError message={null} />);
    expect(container.innerHTML).toBe('');
    rerender(<FormError message="Wrong password." />);
    expect(screen.getByRole('alert').textContent).toBe('Wrong password.');
    rerender(<FormOutcomeLine outcome={{ ok: true, text: 'Saved.' }} />);
    expect(screen.getByRole('status').textContent).toBe('Saved.');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('SelectField', () => {
  it('labels its own select when two forms both have a "Role" drop-down', async () => {
    const { SelectField } = await import('@/components/ui/form');
    render(
      <>
        <SelectField label="Role" name="role" defaultValue="viewer" options={['admin', 'viewer']} />
        <SelectField label="Role" name="role" defaultValue="admin" options={['admin', 'viewer']} />
      </>,
    );
    const [a, b] = screen.getAllByLabelText('Role') as HTMLSelectElement[];
    expect(a).not.toBe(b);
    expect([a!.value, b!.value]).toEqual(['viewer', 'admin']);
  });
});
