import type { PushProvider } from '../core/domain/push-provider.ts';
import { APNS_WIRE_CONTRACT } from './apns/apns-wire-contract.ts';
import { FCM_WIRE_CONTRACT } from './fcm/fcm-wire-contract.ts';
import type { H2WireContract } from './h2-wire-contract.ts';

/**
 * The push contracts the simulator's HTTP/2 port speaks, by provider. A provider without one
 * answers 404 on HTTP/2 (its vendors still take the generic HTTP/1.1 contract).
 */
export const PUSH_WIRE_CONTRACTS: Readonly<Record<PushProvider, H2WireContract | undefined>> = {
  fcm: FCM_WIRE_CONTRACT,
  apns: APNS_WIRE_CONTRACT,
};
