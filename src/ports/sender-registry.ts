/**
 * Sender registry port: what each client may send as, registered by an admin (the vendors require
 * it by law and contract): its sender numbers (발신번호, 전기통신사업법 §84의2: a number must be
 * registered and proven before a vendor sends from it), its Kakao channels with the id each vendor
 * knows it by, the hosts it fetches MMS images from, and its e-mail sender addresses.
 *
 * The API checks every SMS/LMS/MMS `from` and every AlimTalk request against it, so an unregistered
 * sender is a 422 at the API, never a vendor error later. Lists are replaced whole by a PUT (an
 * admin states the client's registration as it is), and read often: adapters are small, callers
 * cache (see the API's use).
 */
export interface SenderNumber {
  /** Digits only, as normalised at registration (02-123-4567 -> 021234567). */
  readonly number: string;
  /** The client's number used when a request gives no `from`; at most one per client. */
  readonly isDefault: boolean;
  readonly label?: string;
  readonly registeredAt: number;
}

/** One Kakao channel (카카오톡 채널) of a client, as each AlimTalk vendor identifies it. */
export interface KakaoChannel {
  /** The channel's search id, e.g. `@herald` (SENS calls it plusFriendId). */
  readonly name: string;
  /** Vendor id -> the channel's id there: NHN senderKey (40 hex), SENS plusFriendId, SOLAPI pfId. */
  readonly senderIds: Readonly<Record<string, string>>;
  /** The channel used when a request names none; at most one per client. */
  readonly isDefault: boolean;
  readonly registeredAt: number;
}

/**
 * One e-mail address a client sends as (its `From`), proven to the e-mail vendors beforehand (SES
 * sends only from a verified identity; a relay's SPF and DKIM cover only the domains it signs for).
 * Exact addresses only: a request's `from` must be one of them, a domain is never registered whole,
 * so a client cannot make up `ceo@` at a domain it shares with others.
 */
export interface EmailSender {
  /** The addr-spec, its domain lower case (the local part as registered: RFC 5321 leaves it to the host). */
  readonly address: string;
  /** The From display name sent with it (`Shop <orders@shop.example>`); absent: the bare address. */
  readonly name?: string;
  /** The address used when an e-mail request gives no `from`; at most one per client. */
  readonly isDefault: boolean;
  readonly registeredAt: number;
}

export interface SenderRegistry {
  /** Replaces the client's sender numbers; returns them as stored, oldest first. */
  putSenderNumbers(
    clientId: string,
    numbers: readonly Omit<SenderNumber, 'registeredAt'>[],
  ): Promise<SenderNumber[]>;
  listSenderNumbers(clientId: string): Promise<SenderNumber[]>;

  /** Replaces the client's Kakao channels; returns them as stored. */
  putKakaoChannels(
    clientId: string,
    channels: readonly Omit<KakaoChannel, 'registeredAt'>[],
  ): Promise<KakaoChannel[]>;
  listKakaoChannels(clientId: string): Promise<KakaoChannel[]>;

  /** Replaces the hosts (exact names, lower case) the client's MMS image URLs may point at. */
  putImageHosts(clientId: string, hosts: readonly string[]): Promise<string[]>;
  listImageHosts(clientId: string): Promise<string[]>;

  /** Replaces the client's e-mail sender addresses; returns them as stored, oldest first. */
  putEmailSenders(
    clientId: string,
    senders: readonly Omit<EmailSender, 'registeredAt'>[],
  ): Promise<EmailSender[]>;
  listEmailSenders(clientId: string): Promise<EmailSender[]>;

  /** Clients with at least one Kakao channel (what the template sync walks). */
  listKakaoClients(): Promise<string[]>;

  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
