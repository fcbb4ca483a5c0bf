/**
 * `#{name}` substitution, the placeholder syntax of Kakao AlimTalk templates, used for inline
 * content too so a client learns one syntax. Rendering is a single pass: a value that itself
 * contains `#{...}` is not expanded again.
 *
 * Missing variables are reported instead of left in place: a literal `#{name}` reaching a customer
 * is a visible bug, and for AlimTalk it makes Kakao refuse the message (3016, content does not
 * match the template).
 */
// Anything up to the closing brace is a name: the same rule as the worker's metadata step, so what
// the API checks is exactly what the worker substitutes.
const PLACEHOLDER = /#\{([^}]+)\}/g;

export type TemplateVars = Readonly<Record<string, string>>;

export interface RenderedText {
  readonly text: string;
  /** Variable names used by the text with no value, in order of first appearance, each once. */
  readonly missing: readonly string[];
}

export function renderTemplate(text: string, vars: TemplateVars): RenderedText {
  const missing = new Set<string>();
  const rendered = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (typeof value !== 'string') {
      missing.add(name);
      return placeholder;
    }
    return value;
  });
  return { text: rendered, missing: [...missing] };
}

/** The variable names a text uses, each once, in order of first appearance. */
export function templateVariables(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (match) => match[1]!))];
}
