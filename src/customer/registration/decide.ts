/** Registration (one stream per customer, one of email or phone), profile updates and consents. */
import { DomainError, invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import type { CustomerState } from '../state';
import { parseDate } from '../time';
import type { ChangeConsent, RegisterCustomer, UpdateProfile } from './commands';
import { CONSENT_CHANNELS, CONSENT_PURPOSES, PROFILE_FIELDS, type Preferences, type ProfileChanges, type RegistrationEvent } from './events';
import type { ProfileState } from './state';

/** E.164: a +, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;
/** One @, no white space, a dot in the domain; at most 254 characters (RFC 5321's path limit). */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 40;
export const MAX_CONSENT_SOURCE_LENGTH = 100;
/** The earliest birthday year (parseDate's lower bound). */
export const MIN_BIRTHDAY_YEAR = 1900;

export function register({ data }: RegisterCustomer, state: CustomerState): RegistrationEvent[] {
  if (state.registered) throw new DomainError('CUSTOMER_ALREADY_REGISTERED', `customer ${data.customerId} is already registered`);
  if (!data.name.trim()) throw invalid('name', 'name must not be blank');
  if (!data.email?.trim() && !data.phone?.trim()) throw invalid('email', 'one of email or phone is required');
  return [{ type: 'CustomerRegistered', data: { ...data } }];
}

const blank = (value: string): boolean => value.trim() === '';

/** The patch's fields checked and normalised (tags trimmed and deduplicated, preferences whole), still as given: null clears. */
function normalise(patch: UpdateProfile['data']): ProfileChanges {
  const changes: ProfileChanges = {};
  if (patch.name !== undefined) {
    if (patch.name === null || blank(patch.name)) throw invalid('name', 'name cannot be cleared or blank');
    changes.name = patch.name;
  }
  if (patch.email !== undefined) {
    if (patch.email !== null && (patch.email.length > MAX_EMAIL_LENGTH || !EMAIL.test(patch.email))) throw invalid('email', 'email must be an email address');
    changes.email = patch.email;
  }
  if (patch.phone !== undefined) {
    if (patch.phone !== null && !E164.test(patch.phone)) throw invalid('phone', 'phone must be E.164: + and up to 15 digits, e.g. +8613800000000');
    changes.phone = patch.phone;
  }
  for (const field of ['address', 'outletId', 'accountManager'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value !== null && blank(value)) throw invalid(field, `${field} must not be blank (null clears it)`);
    changes[field] = value;
  }
  if (patch.birthday !== undefined) {
    if (patch.birthday !== null) {
      if (parseDate(patch.birthday) === null) throw invalid('birthday', `birthday must be a calendar date YYYY-MM-DD, year ${MIN_BIRTHDAY_YEAR} or later`);
      if (patch.birthday > patch.occurredAt.slice(0, 10)) throw invalid('birthday', 'birthday lies after the update (occurredAt)');
    }
    changes.birthday = patch.birthday;
  }
  if (patch.preferences !== undefined) changes.preferences = { channels: [...(patch.preferences?.channels ?? [])], categories: [...(patch.preferences?.categories ?? [])] };
  if (patch.tags !== undefined) changes.tags = normaliseTags(patch.tags ?? []);
  return changes;
}

function normaliseTags(given: readonly string[]): string[] {
  if (given.length > MAX_TAGS) throw invalid('tags', `at most ${MAX_TAGS} tags`);
  const tags: string[] = [];
  for (const raw of given) {
    const tag = raw.trim();
    if (tag.length < 1 || tag.length > MAX_TAG_LENGTH) throw invalid('tags', `each tag must be 1–${MAX_TAG_LENGTH} characters once trimmed`);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);
const samePreferences = (a: Preferences, b: Preferences): boolean => sameList(a.channels, b.channels) && sameList(a.categories, b.categories);

function unchanged(field: keyof ProfileChanges, value: ProfileChanges[keyof ProfileChanges], profile: ProfileState): boolean {
  if (field === 'preferences') return samePreferences(value as Preferences, profile.preferences);
  if (field === 'tags') return sameList(value as string[], profile.tags);
  return value === profile[field];
}

/** CustomerProfileUpdated with only the fields whose value changes; nothing when none does. */
export function updateProfile({ data }: UpdateProfile, state: CustomerState): RegistrationEvent[] {
  const changes = normalise(data);
  const changed: ProfileChanges = {};
  for (const field of PROFILE_FIELDS) {
    if (!(field in changes) || unchanged(field, changes[field], state.profile)) continue;
    (changed as Record<string, unknown>)[field] = changes[field];
  }
  const email = 'email' in changes ? changes.email : state.profile.email;
  const phone = 'phone' in changes ? changes.phone : state.profile.phone;
  if (!email?.trim() && !phone?.trim()) throw invalid('email' in changes ? 'email' : 'phone', 'one of email or phone must remain');
  if (Object.keys(changed).length === 0) return [];
  return [{ type: 'CustomerProfileUpdated', data: { customerId: data.customerId, occurredAt: data.occurredAt, ...changed } }];
}

/** ConsentChanged, or nothing when the channel and purpose already have that answer. */
export function changeConsent({ data }: ChangeConsent, state: CustomerState): RegistrationEvent[] {
  if (!(CONSENT_CHANNELS as readonly string[]).includes(data.channel)) throw invalid('channel', `channel must be one of ${CONSENT_CHANNELS.join(', ')}`);
  if (!(CONSENT_PURPOSES as readonly string[]).includes(data.purpose)) throw invalid('purpose', `purpose must be one of ${CONSENT_PURPOSES.join(', ')}`);
  if (typeof data.granted !== 'boolean') throw invalid('granted', 'granted must be true or false');
  const source = data.source.trim();
  if (source.length < 1 || source.length > MAX_CONSENT_SOURCE_LENGTH) throw invalid('source', `source must be 1–${MAX_CONSENT_SOURCE_LENGTH} characters`);
  const current = state.consents[data.channel]?.[data.purpose];
  if (current && data.occurredAt < current.changedAt) throw invalid('occurredAt', `occurredAt is before this consent's last change (${current.changedAt})`);
  if (current?.granted === data.granted) return [];
  return [{ type: 'ConsentChanged', data: { customerId: data.customerId, channel: data.channel, purpose: data.purpose, granted: data.granted, source, occurredAt: data.occurredAt } }];
}

export const registrationDeciders: Deciders<'UpdateProfile' | 'ChangeConsent'> = { UpdateProfile: updateProfile, ChangeConsent: changeConsent };
