import { Admin } from '@platformatic/kafka';

/**
 * Watches one consumer group from outside (Admin describeGroups every 200 ms) and counts
 * rebalances: each time the group leaves Stable, and each change of its member ids (a member
 * dropped for a missed poll or session comes back with a new id).
 */
export class GroupWatch {
  readonly #admin: Admin;
  readonly #group: string;
  readonly #timer: NodeJS.Timeout;
  #lastState = '';
  #lastMembers = '';
  #rebalances = 0;
  #busy = false;
  readonly transitions: string[] = [];

  private constructor(brokers: string, group: string) {
    this.#admin = new Admin({ clientId: 'herald-drill-watch', bootstrapBrokers: brokers.split(',') });
    this.#group = group;
    this.#timer = setInterval(() => void this.#poll(), 200);
  }

  /** Starts watching once the group is Stable (its first join is not a rebalance we caused). */
  static async start(brokers: string, group: string, timeoutMs = 60_000): Promise<GroupWatch> {
    const watch = new GroupWatch(brokers, group);
    const deadline = Date.now() + timeoutMs;
    while (!/stable/i.test(watch.#lastState)) {
      if (Date.now() > deadline) throw new Error(`group ${group} not Stable: ${watch.#lastState}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    watch.#rebalances = 0;
    watch.transitions.length = 0;
    return watch;
  }

  get rebalances(): number {
    return this.#rebalances;
  }

  get members(): number {
    return this.#lastMembers ? this.#lastMembers.split(',').length : 0;
  }

  async #poll(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const group = (await this.#admin.describeGroups({ groups: [this.#group] })).get(this.#group);
      if (!group) return;
      const members = [...group.members.keys()].sort().join(',');
      const wasStable = /stable/i.test(this.#lastState);
      if (this.#lastState && wasStable && !/stable/i.test(group.state)) {
        this.#rebalances += 1;
        this.transitions.push(`${this.#lastState}->${group.state}`);
      } else if (
        this.#lastMembers &&
        members !== this.#lastMembers &&
        wasStable &&
        /stable/i.test(group.state)
      ) {
        this.#rebalances += 1;
        this.transitions.push('members changed');
      }
      this.#lastState = group.state;
      this.#lastMembers = members;
    } catch {
      // A failed describe is not a rebalance; the next poll tries again.
    } finally {
      this.#busy = false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#admin.close();
  }
}
