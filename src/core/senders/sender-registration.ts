import type { EmailSender, KakaoChannel, SenderNumber } from '../../ports/sender-registry.ts';
import { HeraldError } from '../domain/errors.ts';
import { checkDisplayName, checkEmailAddress } from './email-address.ts';
import { checkSenderNumber } from './sender-number.ts';

/** Most entries one client registers; more is a mistake, not a business (and a read stays one row set). */
export const MAX_SENDER_NUMBERS = 100;
export const MAX_KAKAO_CHANNELS = 20;
export const MAX_IMAGE_HOSTS = 20;
export const MAX_EMAIL_SENDERS = 100;

export interface SenderNumberInput {
  readonly number: string;
  readonly isDefault?: boolean;
  readonly label?: string;
}

export interface KakaoChannelInput {
  readonly name: string;
  readonly senderIds: Readonly<Record<string, string>>;
  readonly isDefault?: boolean;
}

/**
 * A PUT /v1/sender-numbers list as the registry stores it: numbers as digits, each once, exactly one
 * default when the list is not empty (the one marked, or else the first: a client with numbers can
 * always send without naming one). Throws 400 HERALD_VALIDATION_FAILED naming the entry.
 */
export function checkSenderNumbers(
  input: readonly SenderNumberInput[],
): Omit<SenderNumber, 'registeredAt'>[] {
  tooMany(input.length, MAX_SENDER_NUMBERS, 'numbers');
  const seen = new Set<string>();
  const numbers = input.map((entry, i) => {
    const number = checkSenderNumber(entry.number, `numbers[${i}].number`);
    if (seen.has(number)) {
      throw invalid(`numbers[${i}].number`, 'is listed twice (after removing separators)');
    }
    seen.add(number);
    return {
      number,
      isDefault: entry.isDefault === true,
      ...(entry.label !== undefined && { label: entry.label }),
    };
  });
  return withOneDefault(numbers, 'numbers');
}

export interface EmailSenderInput {
  readonly address: string;
  readonly name?: string;
  readonly isDefault?: boolean;
}

/**
 * A PUT /v1/email-senders list as stored: exact addresses (domain lower-cased), each once, display
 * names without control characters (they become the From header), exactly one default when the
 * list is not empty (marked, or the first).
 */
export function checkEmailSenders(input: readonly EmailSenderInput[]): Omit<EmailSender, 'registeredAt'>[] {
  tooMany(input.length, MAX_EMAIL_SENDERS, 'senders');
  const seen = new Set<string>();
  const senders = input.map((entry, i) => {
    const address = checkEmailAddress(entry.address, `senders[${i}].address`);
    if (seen.has(address)) throw invalid(`senders[${i}].address`, 'is listed twice');
    seen.add(address);
    const name = entry.name === undefined ? undefined : checkDisplayName(entry.name, `senders[${i}].name`);
    return { address, ...(name !== undefined && { name }), isDefault: entry.isDefault === true };
  });
  return withOneDefault(senders, 'senders');
}

/** Vendor ids as the remote config names them (nhn-alimtalk, sim-kakao-a...). */
const VENDOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A vendor's channel id: NHN senderKey (40 hex), SENS plusFriendId (@name), SOLAPI pfId; no spaces. */
const CHANNEL_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * A PUT /v1/kakao-channels list as stored: names once each, every channel known to at least one
 * vendor, exactly one default when not empty (marked, or the first).
 */
export function checkKakaoChannels(
  input: readonly KakaoChannelInput[],
): Omit<KakaoChannel, 'registeredAt'>[] {
  tooMany(input.length, MAX_KAKAO_CHANNELS, 'channels');
  const seen = new Set<string>();
  const channels = input.map((entry, i) => {
    const name = entry.name.trim();
    if (name === '' || seen.has(name)) {
      throw invalid(`channels[${i}].name`, name === '' ? 'is empty' : 'is listed twice');
    }
    seen.add(name);
    const ids = Object.entries(entry.senderIds);
    if (ids.length === 0) {
      throw invalid(`channels[${i}].senderIds`, 'needs the id of the channel at one vendor at least');
    }
    for (const [vendor, id] of ids) {
      if (!VENDOR_ID.test(vendor)) {
        throw invalid(`channels[${i}].senderIds`, 'keys must be vendor ids (lower case, digits, hyphens)');
      }
      if (!CHANNEL_ID.test(id)) {
        throw invalid(`channels[${i}].senderIds.${vendor}`, 'must be 1-128 printable ASCII characters');
      }
    }
    return { name, senderIds: Object.fromEntries(ids), isDefault: entry.isDefault === true };
  });
  return withOneDefault(channels, 'channels');
}

/** DNS names of LDH labels, at least two, a top-level label not all digits (no IP literals). */
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A PUT /v1/image-hosts list as stored: exact host names, lower case, without a trailing dot, each
 * once. IP literals are refused: an image host is a name the client controls, and the fetch checks
 * every address the name resolves to anyway.
 */
export function checkImageHosts(input: readonly string[]): string[] {
  tooMany(input.length, MAX_IMAGE_HOSTS, 'hosts');
  const seen = new Set<string>();
  return input.map((raw, i) => {
    const host = raw.trim().toLowerCase().replace(/\.$/, '');
    const labels = host.split('.');
    const valid =
      host.length <= 253 &&
      labels.length >= 2 &&
      labels.every((label) => HOST_LABEL.test(label)) &&
      !/^\d+$/.test(labels.at(-1)!);
    if (!valid) {
      throw invalid(
        `hosts[${i}]`,
        'must be a DNS host name (cdn.example.com): no scheme, port, path or IP address',
      );
    }
    if (seen.has(host)) throw invalid(`hosts[${i}]`, 'is listed twice');
    seen.add(host);
    return host;
  });
}

function withOneDefault<T extends { readonly isDefault: boolean }>(entries: T[], field: string): T[] {
  const defaults = entries.filter((entry) => entry.isDefault).length;
  if (defaults > 1) throw invalid(field, 'may mark one entry isDefault, not several');
  if (defaults === 1 || entries.length === 0) return entries;
  return entries.map((entry, i) => (i === 0 ? { ...entry, isDefault: true } : entry));
}

function tooMany(count: number, max: number, field: string): void {
  if (count > max) throw invalid(field, `may list at most ${max} entries`);
}

function invalid(field: string, problem: string): HeraldError {
  return new HeraldError('HERALD_VALIDATION_FAILED', `${field} ${problem}`, { field });
}
