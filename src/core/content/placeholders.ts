/**
 * `#{name}` placeholders, the syntax of Kakao AlimTalk templates, used for inline content too so a
 * client learns one syntax. A placeholder is `#{`, one or more characters other than `}`, then `}`:
 * the regex `/#\{([^}]+)\}/g`, which the worker's metadata step has always used.
 *
 * Found by a linear scan instead of that regex: on text such as `#{#{#{...` with no closing brace,
 * the regex rescans the rest of the text from every `#{` (quadratic: minutes on 500 KB), while the
 * scan stops at once, since no `#{` can be closed when no `}` follows.
 *
 * A text is parsed once per request; each recipient's rendering then works from the parts.
 */
export interface ParsedText {
  /** The fixed text around the placeholders: `literals[i]` comes before placeholder i. One more than `slots`. */
  readonly literals: readonly string[];
  /** For each placeholder in order, the index of its name in `names`. */
  readonly slots: Uint32Array;
  /** The distinct names, in order of first appearance. */
  readonly names: readonly string[];
  /** How many placeholders use each name (same order as `names`). */
  readonly uses: readonly number[];
}

export function parsePlaceholders(text: string): ParsedText {
  const literals: string[] = [];
  const slots: number[] = [];
  const names: string[] = [];
  const uses: number[] = [];
  const indexOfName = new Map<string, number>();
  let literalStart = 0;
  let previous = -1;
  let at = 0;
  for (;;) {
    at = text.indexOf('#{', at);
    if (at < 0) break;
    const close = text.indexOf('}', at + 2);
    if (close < 0) break; // no `#{` from here on can be closed
    if (close === at + 2) {
      at += 1; // `#{}` has no name; the regex would try again one character further on
      continue;
    }
    // The same name as the placeholder before is compared in place, without making a new string.
    let index = previous;
    if (!isName(text, at + 2, close, names[previous])) {
      const name = text.slice(at + 2, close);
      index = indexOfName.get(name) ?? names.length;
      if (index === names.length) {
        indexOfName.set(name, index);
        names.push(name);
        uses.push(0);
      }
    }
    uses[index]! += 1;
    literals.push(at === literalStart ? '' : text.slice(literalStart, at));
    slots.push(index);
    previous = index;
    literalStart = at = close + 1;
  }
  literals.push(text.slice(literalStart));
  return { literals, slots: Uint32Array.from(slots), names, uses };
}

function isName(text: string, start: number, end: number, name: string | undefined): boolean {
  if (name === undefined || end - start !== name.length) return false;
  for (let i = 0; i < name.length; i += 1)
    if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  return true;
}

/** Whether the text has at least one placeholder (it is then rendered per recipient). */
export function hasPlaceholders(parsed: ParsedText): boolean {
  return parsed.slots.length > 0;
}

export type TemplateVars = Readonly<Record<string, string>>;

/** The value `vars` gives `name`: own string properties only, so `#{toString}` is not "given". */
export function givenValue(vars: TemplateVars, name: string): string | undefined {
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The distinct names some texts use (a subject and a body), gathered once per request. */
export interface VariableNames {
  /** In order of first appearance, the first text's first. */
  readonly list: readonly string[];
  readonly set: ReadonlySet<string>;
}

export function variableNames(...texts: readonly ParsedText[]): VariableNames {
  const set = new Set(texts.flatMap((text) => text.names));
  return { list: [...set], set };
}

export interface MissingNames {
  /** How many distinct names have no value. */
  readonly count: number;
  /** The first of them, in order of appearance, at most the limit asked for. */
  readonly first: readonly string[];
}

/**
 * The names with no value in `vars`. Costs the size of `vars`, not of the text: the given names are
 * counted first, and the listing stops after `limit` missing ones (an error message needs a few,
 * not 100,000), having passed at most every given name.
 */
export function missingNames(names: VariableNames, vars: TemplateVars, limit: number): MissingNames {
  let given = 0;
  for (const name of Object.keys(vars)) {
    if (names.set.has(name) && givenValue(vars, name) !== undefined) given += 1;
  }
  const count = names.list.length - given;
  const first: string[] = [];
  for (let i = 0; i < names.list.length && first.length < Math.min(count, limit); i += 1) {
    const name = names.list[i]!;
    if (givenValue(vars, name) === undefined) first.push(name);
  }
  return { count, first };
}
