import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { missingNames, parsePlaceholders, variableNames } from '../../../src/core/content/placeholders.ts';

/** The rule the worker has always applied, as a regex: what the linear scan must agree with. */
const PLACEHOLDER = /#\{([^}]+)\}/g;

function pieces(text: string): { literals: string[]; names: string[] } {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    literals.push(text.slice(last, match.index));
    names.push(match[1]!);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  return { literals, names };
}

describe('parsePlaceholders', () => {
  it('finds exactly what /#\\{([^}]+)\\}/g finds, on any text of #, {, } and letters', () => {
    const text = fc.string({ unit: fc.constantFrom('#', '{', '}', 'a', 'b', '가', ' ') });
    fc.assert(
      fc.property(text, (candidate) => {
        const parsed = parsePlaceholders(candidate);
        const expected = pieces(candidate);
        assert.deepEqual(parsed.literals, expected.literals);
        assert.deepEqual(
          Array.from(parsed.slots, (slot) => parsed.names[slot]),
          expected.names,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts the uses of each distinct name, in order of first appearance', () => {
    const parsed = parsePlaceholders('#{b}#{a} x #{b} #{}#{a#{c}}');
    assert.deepEqual(parsed.names, ['b', 'a', 'a#{c']);
    assert.deepEqual(parsed.uses, [2, 1, 1]);
    assert.deepEqual(parsed.literals, ['', '', ' x ', ' #{}', '}']);
  });

  it('reads half a megabyte of unclosed #{ as one literal', () => {
    const text = '#{'.repeat(262_000);
    assert.deepEqual(parsePlaceholders(text).literals, [text]);
  });
});

describe('missingNames', () => {
  const names = variableNames(
    parsePlaceholders('#{title}'),
    parsePlaceholders('#{name} #{n1} #{n2} #{title}'),
  );

  it('lists the names without a value, the subject’s first, each once', () => {
    assert.deepEqual(names.list, ['title', 'name', 'n1', 'n2']);
    assert.deepEqual(missingNames(names, { name: 'Kim' }, 10), { count: 3, first: ['title', 'n1', 'n2'] });
    assert.deepEqual(missingNames(names, { title: 't', name: 'n', n1: '', n2: '2' }, 10), {
      count: 0,
      first: [],
    });
  });

  it('lists at most the limit asked for, and counts the rest', () => {
    assert.deepEqual(missingNames(names, {}, 2), { count: 4, first: ['title', 'name'] });
  });

  it('takes own string values only: not inherited properties, not non-strings', () => {
    const text = variableNames(parsePlaceholders('#{toString} #{n}'));
    assert.deepEqual(missingNames(text, { n: 5 } as never, 10), { count: 2, first: ['toString', 'n'] });
  });
});
