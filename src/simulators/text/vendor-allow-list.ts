/**
 * Identifiers a vendor has on record for herald's account: sender numbers (발신번호, registered in
 * the vendor's console after proof of ownership) or Kakao channel ids (NHN senderKey, SENS
 * plusFriendId, SOLAPI pfId). Per vendor, open until a list is set: then anything else is refused
 * the way that vendor refuses it. `*` sets the list of every vendor without one of its own.
 */
export class VendorAllowList {
  readonly #lists = new Map<string, ReadonlySet<string>>();

  set(vendorId: string, values: readonly string[] | null): void {
    if (values === null) this.#lists.delete(vendorId);
    else this.#lists.set(vendorId, new Set(values));
  }

  /** The list in force for `vendorId`, or null when it takes any well-formed value. */
  listOf(vendorId: string): readonly string[] | null {
    const list = this.#lists.get(vendorId) ?? this.#lists.get('*');
    return list === undefined ? null : [...list];
  }

  allows(vendorId: string, value: string): boolean {
    const list = this.#lists.get(vendorId) ?? this.#lists.get('*');
    return list === undefined || list.has(value);
  }

  reset(): void {
    this.#lists.clear();
  }
}
