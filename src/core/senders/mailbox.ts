/**
 * A From mailbox as it travels on an envelope's `from` (one string, like a sender number): the
 * bare address, or `"display name" <address>` with `"` and `\` escaped (RFC 5322 quoted-string).
 * Both were checked at the API (email-address.ts: no control characters, one plain addr-spec), and
 * an adapter parses the string back into its parts, so a vendor client receives the name and the
 * address as separate values (nodemailer `{name, address}`, encoded by it) rather than a text
 * it would have to parse.
 */
export interface Mailbox {
  readonly address: string;
  readonly name?: string;
}

export function formatMailbox({ address, name }: Mailbox): string {
  if (name === undefined) return address;
  return `"${name.replace(/["\\]/g, (char) => `\\${char}`)}" <${address}>`;
}

const NAMED = /^"((?:[^"\\]|\\.)*)" <([^<>\s]+@[^<>\s]+)>$/s;

/** The parts of a string formatMailbox wrote; undefined for anything else. */
export function parseMailbox(text: string): Mailbox | undefined {
  const named = NAMED.exec(text);
  if (named) return { name: named[1]!.replace(/\\(.)/gs, '$1'), address: named[2]! };
  return /^[^<>"\s]+@[^<>"\s]+$/.test(text) ? { address: text } : undefined;
}
