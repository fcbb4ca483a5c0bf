import type { FastifySchemaValidationError } from 'fastify';
import type { ErrorCode } from '../core/domain/errors.ts';
import { HeraldError } from '../core/domain/errors.ts';

/** One schema error, as Fastify's ajv and TypeBox's `Value.Errors` both report it. */
type SchemaError = Pick<FastifySchemaValidationError, 'keyword' | 'instancePath' | 'params' | 'message'>;

/** Which part of the request failed its schema (Fastify's `validationContext`). */
export type ValidationContext = 'body' | 'headers' | 'params' | 'querystring';

/**
 * Turns a schema validation failure into a HeraldError with a stable code and a message that names
 * the field in the form a client writes it (`recipients[51].to`). Some failures have their own code
 * because clients handle them differently (split a request that is too big, fix a channel name);
 * everything else is HERALD_VALIDATION_FAILED.
 */
export function toValidationError(
  errors: readonly FastifySchemaValidationError[],
  context: ValidationContext | undefined,
): HeraldError {
  const first = errors[0];
  if (!first) {
    return new HeraldError('HERALD_VALIDATION_FAILED', 'the request does not match the schema');
  }
  const path = fieldPath(first);
  const field = describeField(path, context);
  return new HeraldError(codeFor(first, path, context), `${field} ${describeProblem(first)}`, {
    field: path || context,
  });
}

function codeFor(
  error: FastifySchemaValidationError,
  path: string,
  context: ValidationContext | undefined,
): ErrorCode {
  if (context === 'headers' && path === 'idempotency-key') return 'HERALD_INVALID_IDEMPOTENCY_KEY';
  if (context !== 'body') return 'HERALD_VALIDATION_FAILED';
  const missing = error.keyword === 'required';
  if (path === 'channel' && !missing) return 'HERALD_UNKNOWN_CHANNEL';
  if (path === 'lane' && !missing) return 'HERALD_UNKNOWN_LANE';
  if (path === 'recipients' && error.keyword === 'maxItems') return 'HERALD_TOO_MANY_RECIPIENTS';
  if (path === 'recipients' && error.keyword === 'minItems') return 'HERALD_NO_RECIPIENTS';
  if (path === 'content.body' && error.keyword === 'maxLength') return 'HERALD_BODY_TOO_LONG';
  if (path === 'content.subject' && error.keyword === 'maxLength') return 'HERALD_SUBJECT_TOO_LONG';
  return 'HERALD_VALIDATION_FAILED';
}

/** `/recipients/51/to` -> `recipients[51].to`; a missing or unknown property is part of the path. */
function fieldPath(error: SchemaError): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  const child = error.params.missingProperty ?? error.params.additionalProperty;
  if (typeof child === 'string') {
    segments.push(child);
  }
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
    if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return path ? `${path}.${segment}` : segment;
    return `${path}[${JSON.stringify(segment)}]`;
  }, '');
}

function describeField(path: string, context: ValidationContext | undefined): string {
  switch (context) {
    case 'headers':
      return `header ${path}`;
    case 'params':
      return `path parameter ${path}`;
    case 'querystring':
      return `query parameter ${path}`;
    default:
      return path || 'the request body';
  }
}

const ARTICLE_TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function describeProblem(error: SchemaError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type':
      return `must be ${ARTICLE_TYPES[String(params.type)] ?? String(params.type)}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`;
    case 'maxLength':
      return `must be at most ${params.limit} characters`;
    case 'minItems':
      return `must have at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}`;
    case 'maxItems':
      return `must have at most ${params.limit} entries`;
    case 'maxProperties':
      return `must have at most ${params.limit} entries`;
    case 'minProperties':
      return `must have at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${params.comparison} ${params.limit}`;
    case 'pattern':
      return `does not match the expected format ${params.pattern}`;
    default:
      return error.message ?? 'is not valid';
  }
}

/**
 * Every error of a TypeBox `Value.Errors` run, one line each, in the words of a request's first
 * error (`lanes.ad.sendConcurrency must be <= 1000`): for documents where every problem is listed
 * at once (the remote config). TypeBox names all missing or unknown properties of an object in one
 * error, and reports an unknown one a second time as a `false` schema; each name gets one line.
 */
export function describeEachSchemaError(errors: readonly SchemaError[]): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'boolean') continue;
    const params = error.params as Record<string, unknown>;
    const names = params.requiredProperties ?? params.additionalProperties;
    const each: SchemaError[] = Array.isArray(names)
      ? names.map((name) => ({
          ...error,
          params: error.keyword === 'required' ? { missingProperty: name } : { additionalProperty: name },
        }))
      : [error];
    for (const one of each) lines.push(`${fieldPath(one) || 'the document'} ${describeProblem(one)}`);
  }
  return lines;
}
