import type { LengthUnit, TextLimit } from './channel-limits.ts';
import { measureText } from './channel-limits.ts';
import type { ParsedText, TemplateVars } from './placeholders.ts';
import { givenValue, parsePlaceholders } from './placeholders.ts';

/**
 * Rendering `#{name}` placeholders (see placeholders.ts) in a single pass: a value that itself
 * contains `#{...}` is not expanded again.
 *
 * Missing variables are reported instead of left in place: a literal `#{name}` reaching a customer
 * is a visible bug, and for AlimTalk it makes Kakao refuse the message (3016, content does not
 * match the template).
 */
export type { TemplateVars } from './placeholders.ts';

export interface RenderedText {
  readonly text: string;
  /** Variable names used by the text with no value, in order of first appearance, each once. */
  readonly missing: readonly string[];
}

/**
 * Renders without a limit, leaving a missing placeholder in place. For text whose size is already
 * bounded (a registered template the API rendered within Kakao's limit); client text goes through
 * renderWithin.
 */
export function renderTemplate(text: string, vars: TemplateVars): RenderedText {
  const parsed = parsePlaceholders(text);
  const missing = parsed.names.filter((name) => givenValue(vars, name) === undefined);
  const values = parsed.names.map((name) => givenValue(vars, name) ?? `#{${name}}`);
  return { text: joinAll(parsed, values), missing };
}

/** The variable names a text uses, each once, in order of first appearance. */
export function templateVariables(text: string): string[] {
  return [...parsePlaceholders(text).names];
}

/** A client's text, parsed once per request, with the limit it must render within. */
export interface BoundedText {
  readonly parsed: ParsedText;
  readonly limit: TextLimit;
  /** The size of the fixed text around the placeholders, in the limit's unit. */
  readonly fixedSize: number;
  /**
   * Where each piece of output can come from, numbered in text order: literal i is piece 2i,
   * placeholder i is piece 2i + 1. The non-empty literals' pieces, and each name's pieces.
   */
  readonly literalPieces: Uint32Array;
  readonly namePieces: readonly Uint32Array[];
}

export function boundText(parsed: ParsedText, limit: TextLimit): BoundedText {
  const { literals, slots } = parsed;
  let fixedSize = 0;
  const literalPieces: number[] = [];
  for (let i = 0; i < literals.length; i += 1) {
    if (literals[i]!.length === 0) continue;
    fixedSize += measureText(literals[i]!, limit.unit);
    literalPieces.push(2 * i);
  }
  const namePieces = parsed.uses.map((uses) => new Uint32Array(uses));
  const filled = new Uint32Array(parsed.names.length);
  for (let i = 0; i < slots.length; i += 1) {
    const name = slots[i]!;
    namePieces[name]![filled[name]!++] = 2 * i + 1;
  }
  return { parsed, limit, fixedSize, literalPieces: Uint32Array.from(literalPieces), namePieces };
}

/** Told what each rendering produced: tests prove rendering bounded with it, a metric could count it. */
export interface RenderMeter {
  rendered(produced: number, unit: LengthUnit): void;
}

export type BoundedRender =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      /** The size the text would have, in the limit's unit: more than the limit. */
      readonly size: number;
    };

/**
 * Renders `text` for one recipient, refusing from its size before producing anything when it would
 * exceed the limit. The size is the fixed text's plus, per name, its uses times its value's size:
 * the cost of measuring each value once, whatever the number of placeholders, so 131,000 `#{a}` with
 * a 4,000-character value are refused without building 524 million characters. Only call it once
 * every name has a value (see missingNames).
 *
 * The size is exact, except that a lone UTF-16 surrogate meeting its other half across a
 * placeholder boundary counts as two characters where the joined text has one: it can only
 * overstate, so what renders is never over the limit. The channel rules measure the result again.
 */
export function renderWithin(text: BoundedText, vars: TemplateVars, meter?: RenderMeter): BoundedRender {
  const { parsed, limit } = text;
  const values = parsed.names.map((name) => givenValue(vars, name) ?? '');
  let size = text.fixedSize;
  for (const [index, value] of values.entries()) {
    size += parsed.uses[index]! * measureText(value, limit.unit);
  }
  if (size > limit.max) {
    meter?.rendered(0, limit.unit);
    return { ok: false, size };
  }
  const rendered = join(text, values);
  meter?.rendered(measureText(rendered, limit.unit), limit.unit);
  return { ok: true, text: rendered };
}

/**
 * The literals with each placeholder replaced by its name's value. Only non-empty pieces make
 * output, and within the limit there are at most as many of those as the limit has units, however
 * many placeholders the text has (`#{a}` 262,000 times with an empty `a`): they are gathered and
 * put in text order, unless that sort would cost more than walking every placeholder.
 */
function join(text: BoundedText, values: readonly string[]): string {
  let count = text.literalPieces.length;
  for (const [name, value] of values.entries()) if (value.length > 0) count += text.namePieces[name]!.length;
  if (count * Math.log2(count + 2) >= text.parsed.slots.length) return joinAll(text.parsed, values);
  const pieces = new Uint32Array(count);
  pieces.set(text.literalPieces);
  let filled = text.literalPieces.length;
  for (const [name, value] of values.entries()) {
    if (value.length === 0) continue;
    pieces.set(text.namePieces[name]!, filled);
    filled += text.namePieces[name]!.length;
  }
  pieces.sort();
  const { literals, slots } = text.parsed;
  let joined = '';
  for (const piece of pieces)
    joined += piece % 2 === 0 ? literals[piece / 2] : values[slots[(piece - 1) / 2]!];
  return joined;
}

/** Every literal and placeholder in order. */
function joinAll(parsed: ParsedText, values: readonly string[]): string {
  const { literals, slots } = parsed;
  let joined = literals[0]!;
  for (let i = 0; i < slots.length; i += 1) {
    joined += values[slots[i]!]!;
    joined += literals[i + 1]!;
  }
  return joined;
}
