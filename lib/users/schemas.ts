import { z } from 'zod';
import { ROLES } from '../auth/actor';

const timezone = z.string().trim().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown time zone');

const email = z.email('enter a valid email address').max(320).transform((e) => e.trim().toLowerCase());
const ids = z.array(z.string().trim().min(1).max(200)).max(1000);
/** History scope: "<serverId>:<media user external id>" or "<serverId>:*" (every user of that server). */
const mediaUserPairs = z.array(z.string().trim().regex(/^[^:\s]+:.+$/, 'pick (server, media user) pairs: "<serverId>:<mediaUserId>" or "<serverId>:*"').max(400)).max(1000);

export const createUserSchema = z.object({
  email,
  name: z.string().trim().min(1, 'enter a name').max(100),
  role: z.enum(ROLES),
  password: z.string().min(1, 'enter a temporary password').max(256),
  timezone: timezone.default('UTC'),
  allowedServerIds: ids.default([]),
  allowedMediaUsers: mediaUserPairs.default([]),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    email,
    role: z.enum(ROLES),
    active: z.boolean(),
    timezone,
    allowedServerIds: ids,
    allowedMediaUsers: mediaUserPairs,
  })
  .partial();
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** Longest password accepted anywhere, checked before any policy check or hash (no slow input). */
export const MAX_PASSWORD_LENGTH = 256;
/** A current password may predate the policy; still capped. */
export const MAX_CURRENT_PASSWORD_LENGTH = 1024;

export const resetPasswordSchema = z.object({
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  /** Also revoke the user's API tokens (an account thought compromised). */
  revokeTokens: z.boolean().default(false),
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(MAX_CURRENT_PASSWORD_LENGTH),
  newPassword: z.string().min(1, 'enter a new password').max(MAX_PASSWORD_LENGTH),
  /** Also revoke every personal API token (they outlive a password change otherwise). */
  revokeTokens: z.boolean().default(false),
});

/** POST /api/account/reauth: the password again (and a code when TOTP is on). */
export const reauthSchema = z.object({
  password: z.string().min(1, 'enter your password').max(MAX_CURRENT_PASSWORD_LENGTH),
  totp: z.string().max(32).optional(),
});

export const updateAccountSchema = z.object({ name: z.string().trim().min(1).max(100), timezone }).partial();

const totpCode = z.string().min(1).max(32);
/** PUT /api/account/totp: confirm enrolment with a code from the app. */
export const totpConfirmSchema = z.object({ code: totpCode });
/** DELETE /api/account/totp: the password and a current or recovery code. */
export const totpDisableSchema = z.object({ password: z.string().min(1).max(MAX_CURRENT_PASSWORD_LENGTH), code: totpCode });
