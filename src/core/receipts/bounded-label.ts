/**
 * Keeps a metrics label's values bounded per owner: the first `max` distinct values an owner (a
 * vendor) reports keep their name, later ones count as `other`. A vendor's result codes are a list
 * of a few dozen, but a vendor that puts free text or ids there must not blow up the series count.
 */
export class BoundedLabel {
  readonly #max: number;
  readonly #seen = new Map<string, Set<string>>();

  constructor(max: number) {
    this.#max = max;
  }

  of(owner: string, value: string): string {
    let values = this.#seen.get(owner);
    if (!values) {
      values = new Set();
      this.#seen.set(owner, values);
    }
    if (values.has(value)) return value;
    if (values.size >= this.#max) return 'other';
    values.add(value);
    return value;
  }
}
