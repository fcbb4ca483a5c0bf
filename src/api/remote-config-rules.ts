import { Value } from 'typebox/value';
import { findInlineSecrets } from '../config/inline-secret-rules.ts';
import { vendorDefinitionViolations } from '../config/vendor-definition-rules.ts';
import { vendorCatalogue } from '../config/vendor-definitions.ts';
import { isAllowEntry } from '../core/callbacks/callback-address-policy.ts';
import { CHANNELS } from '../core/domain/channel.ts';
import { HeraldError } from '../core/domain/errors.ts';
import { LANES } from '../core/domain/lane.ts';
import type { RemoteConfigDocument } from '../core/domain/remote-config.ts';
import type { VendorCatalogue } from '../ports/vendor.ts';
import { RemoteConfigDocumentSchema } from './schemas/remote-config.ts';
import { describeEachSchemaError } from './validation-errors.ts';

/**
 * Whether a remote config document may be applied: checked before a PUT stores it and again
 * before a process applies what it reads from the store (a document written by hand or by an
 * older herald). A bad document applied live would stop a channel on every worker within a
 * second, so every problem is listed at once (fix them all in one round).
 *
 * First anything that looks like an inline secret (refused wherever it is, with how to reference
 * it instead); then the schema, every error (shape and each number's range,
 * remote-config-bounds.ts); then, if the shape is right, the rules that span fields or need this
 * deployment's vendors. A channel whose vendors all weigh 0 is allowed: that is the deliberate
 * kill switch of a channel.
 *
 * `simulated`: the vendors this deployment's simulator hosts, id -> channels (empty when none
 * runs); fcm and apns vendors come from the document's own definitions (vendor-definitions.ts).
 */
export function findRemoteConfigProblems(document: unknown, simulated: VendorCatalogue): string[] {
  const secrets = findInlineSecrets(document);
  const errors = Value.Errors(RemoteConfigDocumentSchema, document);
  const schemaProblems = describeEachSchemaError(errors).filter(
    (problem) => ![...secrets.paths].some((path) => problem.startsWith(`${path} `)),
  );
  const problems = [...secrets.problems, ...schemaProblems];
  // Range errors leave the document's shape intact, so the rules can still read it.
  const shapeBroken = errors.some((error) => SHAPE_KEYWORDS.has(error.keyword));
  if (!shapeBroken) {
    problems.push(...findRemoteConfigViolations(document as RemoteConfigDocument, simulated));
  }
  return problems;
}

const SHAPE_KEYWORDS = new Set(['type', 'required', 'additionalProperties', 'boolean']);

/** Throws HERALD_INVALID_CONFIG listing every problem of the document. */
export function assertValidRemoteConfig(
  document: unknown,
  simulated: VendorCatalogue,
): asserts document is RemoteConfigDocument {
  const problems = findRemoteConfigProblems(document, simulated);
  if (problems.length > 0) {
    throw new HeraldError(
      'HERALD_INVALID_CONFIG',
      `the remote config has ${problems.length} problem(s): ${problems.join('; ')}`,
    );
  }
}

/** The rules across fields, for a document of the right shape. */
export function findRemoteConfigViolations(
  document: RemoteConfigDocument,
  simulated: VendorCatalogue,
): string[] {
  return [
    ...vendorDefinitionViolations(document, simulated),
    ...routingViolations(document, vendorCatalogue(document, simulated)),
    ...limitViolations(document),
    ...callbackViolations(document),
  ];
}

/** Each callbacks.allow entry must be a host name pattern, an IP address or a CIDR network. */
function callbackViolations(document: RemoteConfigDocument): string[] {
  return (document.callbacks?.allow ?? []).flatMap((entry, index) =>
    isAllowEntry(entry)
      ? []
      : [
          `callbacks.allow[${index}]: "${entry}" is neither a host name (*.example.com allowed) nor an IP address or CIDR network`,
        ],
  );
}

function routingViolations(document: RemoteConfigDocument, vendors: VendorCatalogue): string[] {
  const violations: string[] = [];
  const known = [...vendors.keys()].join(', ') || 'none';
  for (const channel of CHANNELS) {
    const seen = new Set<string>();
    (document.routing[channel] ?? []).forEach((route, index) => {
      const where = `routing.${channel}[${index}]: vendor "${route.vendor}"`;
      const serves = vendors.get(route.vendor);
      if (!serves) {
        violations.push(`${where} has no adapter in this deployment (vendors: ${known})`);
      } else if (!serves.includes(channel)) {
        violations.push(`${where} does not serve ${channel} (it serves ${serves.join(', ')})`);
      }
      if (!Object.hasOwn(document.vendors, route.vendor)) {
        violations.push(`${where} has no entry in vendors (timeoutMs, breaker settings)`);
      }
      if (seen.has(route.vendor)) violations.push(`${where} is listed twice for ${channel}`);
      seen.add(route.vendor);
    });
  }
  return violations;
}

function limitViolations(document: RemoteConfigDocument): string[] {
  const violations: string[] = [];
  for (const [vendor, settings] of Object.entries(document.vendors)) {
    if (settings.timeoutMs >= document.dedup.reserveTtlMs) {
      violations.push(
        `vendors.${vendor}.timeoutMs (${settings.timeoutMs}) must be below dedup.reserveTtlMs ` +
          `(${document.dedup.reserveTtlMs}): a reservation must outlive the call it protects`,
      );
    }
  }
  for (const lane of LANES) {
    const settings = document.lanes[lane];
    if (settings.maxInFlight < settings.batchSize) {
      violations.push(`lanes.${lane}.maxInFlight must be >= batchSize, or a full batch could never be taken`);
    }
  }
  if (document.lanes.realtime.bulkVendorCalls === true) {
    violations.push(
      'lanes.realtime.bulkVendorCalls must be false: a real-time message goes in a call of its own, ' +
        'never waiting for others to fill a bulk call',
    );
  }
  if (document.retry.baseDelayMs > document.retry.maxDelayMs) {
    violations.push('retry.baseDelayMs must not exceed retry.maxDelayMs');
  }
  return violations;
}
