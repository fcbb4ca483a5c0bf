import { createHash } from 'node:crypto';

/** The networks a simulated recipient is on; an MVNO subscriber rides on one of the three. */
export const SIM_NETWORKS = ['SKT', 'KT', 'LGU+', 'MVNO'] as const;
export type SimNetwork = (typeof SIM_NETWORKS)[number];
export type ParentNetwork = Exclude<SimNetwork, 'MVNO'>;
const PARENTS: readonly ParentNetwork[] = ['SKT', 'KT', 'LGU+'];

/**
 * What the text simulators' carriers do with the SMS/LMS/MMS they are handed: which network each
 * recipient is on (shares by weight), which share is not delivered, and the seed that makes each
 * message's fate the same on every run and every look-up. Set through `PUT /_sim/text/settings`.
 */
export interface ReceiptMix {
  readonly carriers: Readonly<Record<SimNetwork, number>>;
  /** 0..1, share of accepted messages the carrier does not deliver (phone off, no subscriber...). */
  readonly undeliveredShare: number;
  readonly seed: number;
}

/** Roughly the Korean market (SKT, KT, LG U+ and the MVNOs), and a few percent not delivered. */
export const DEFAULT_RECEIPT_MIX: ReceiptMix = Object.freeze({
  carriers: Object.freeze({ SKT: 45, KT: 30, 'LGU+': 20, MVNO: 5 }),
  undeliveredShare: 0.03,
  seed: 11,
});

/** One message's fate at the carrier, decided once from its id and the seed. */
export interface ReceiptFate {
  readonly network: SimNetwork;
  /** The network an MVNO subscriber's message went through (the network itself otherwise). */
  readonly parent: ParentNetwork;
  readonly delivered: boolean;
  /** 0..1, for the vendor's contract to pick one of its undelivered codes. */
  readonly pick: number;
}

/**
 * The fate of message `key` (vendor id and the vendor's message id): a hash, not a random draw, so
 * the same message has the same fate whenever and however often it is looked up.
 */
export function receiptFateOf(key: string, mix: ReceiptMix): ReceiptFate {
  const digest = createHash('sha256').update(`${mix.seed}:${key}`).digest();
  const [u1, u2, u3, u4] = [0, 4, 8, 12].map((offset) => digest.readUInt32BE(offset) / 4_294_967_296);
  const network = weighted(mix.carriers, u1!);
  const parent = network === 'MVNO' ? PARENTS[Math.floor(u4! * PARENTS.length)]! : network;
  return { network, parent, delivered: u2! >= mix.undeliveredShare, pick: u3! };
}

function weighted(carriers: Readonly<Record<SimNetwork, number>>, roll: number): SimNetwork {
  const total = SIM_NETWORKS.reduce((sum, network) => sum + carriers[network], 0);
  let at = roll * total;
  for (const network of SIM_NETWORKS) {
    at -= carriers[network];
    if (at < 0) return network;
  }
  return 'SKT';
}

/**
 * Applies `{carriers?, undeliveredShare?, seed?}` (untrusted JSON from the control API) to a mix;
 * returns the new mix or a message saying what is wrong.
 */
export function patchReceiptMix(base: ReceiptMix, patch: Record<string, unknown>): ReceiptMix | string {
  const { carrierMix, undeliveredShare, receiptSeed } = patch;
  let carriers = base.carriers;
  if (carrierMix !== undefined) {
    if (typeof carrierMix !== 'object' || carrierMix === null || Array.isArray(carrierMix)) {
      return 'carrierMix must map SKT, KT, LGU+, MVNO to weights';
    }
    const entries = Object.entries(carrierMix as Record<string, unknown>);
    if (entries.some(([name, weight]) => !isNetwork(name) || !(typeof weight === 'number' && weight >= 0))) {
      return `carrierMix takes ${SIM_NETWORKS.join(', ')}, each a weight >= 0`;
    }
    const given = carrierMix as Partial<Record<SimNetwork, number>>;
    carriers = { SKT: given.SKT ?? 0, KT: given.KT ?? 0, 'LGU+': given['LGU+'] ?? 0, MVNO: given.MVNO ?? 0 };
    if (SIM_NETWORKS.every((network) => carriers[network] === 0)) return 'carrierMix needs a weight above 0';
  }
  if (
    undeliveredShare !== undefined &&
    !(typeof undeliveredShare === 'number' && undeliveredShare >= 0 && undeliveredShare <= 1)
  ) {
    return 'undeliveredShare must be a number in 0..1';
  }
  if (receiptSeed !== undefined && !Number.isInteger(receiptSeed)) return 'receiptSeed must be an integer';
  return Object.freeze({
    carriers: Object.freeze({ ...carriers }),
    undeliveredShare: (undeliveredShare as number | undefined) ?? base.undeliveredShare,
    seed: (receiptSeed as number | undefined) ?? base.seed,
  });
}

function isNetwork(name: string): name is SimNetwork {
  return (SIM_NETWORKS as readonly string[]).includes(name);
}
