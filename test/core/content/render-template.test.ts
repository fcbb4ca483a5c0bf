import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { TextLimit } from '../../../src/core/content/channel-limits.ts';
import { parsePlaceholders } from '../../../src/core/content/placeholders.ts';
import type { RenderMeter } from '../../../src/core/content/render-template.ts';
import {
  boundText,
  renderTemplate,
  renderWithin,
  templateVariables,
} from '../../../src/core/content/render-template.ts';

describe('renderTemplate', () => {
  it('substitutes every #{name}, Korean names included', () => {
    assert.deepEqual(renderTemplate('#{name}님, 주문 #{주문번호} 발송', { name: 'Kim', 주문번호: 'A-1' }), {
      text: 'Kim님, 주문 A-1 발송',
      missing: [],
    });
  });

  it('reports each missing variable once, in order, and never hides it', () => {
    const result = renderTemplate('#{b} #{a} #{b}', {});
    assert.deepEqual(result.missing, ['b', 'a']);
  });

  it('treats an empty string as a value', () => {
    assert.deepEqual(renderTemplate('[#{x}]', { x: '' }), { text: '[]', missing: [] });
  });

  it('renders in one pass: a value containing #{...} is not expanded', () => {
    assert.deepEqual(renderTemplate('#{a}', { a: '#{b}', b: 'no' }), { text: '#{b}', missing: [] });
  });

  it('ignores inherited properties such as toString', () => {
    assert.deepEqual(renderTemplate('#{toString}', {}).missing, ['toString']);
  });

  it('leaves text without placeholders alone', () => {
    assert.deepEqual(renderTemplate('no vars # { here }', {}), { text: 'no vars # { here }', missing: [] });
  });
});

describe('templateVariables', () => {
  it('lists each variable once', () => {
    assert.deepEqual(templateVariables('#{a} #{b} #{a}'), ['a', 'b']);
  });
});

describe('renderWithin', () => {
  const limit: TextLimit = { max: 11, unit: 'EUC-KR bytes' };
  const within = (text: string, vars: Record<string, string>, meter?: RenderMeter) =>
    renderWithin(boundText(parsePlaceholders(text), limit), vars, meter);

  it('renders a text up to the limit, and tells the meter what it produced', () => {
    const produced: number[] = [];
    const meter: RenderMeter = { rendered: (units) => produced.push(units) };
    assert.deepEqual(within('#{a}님 OK', { a: '김철수' }, meter), { ok: true, text: '김철수님 OK' });
    assert.deepEqual(produced, [11], '4 Hangul syllables of 2 bytes, a space and OK');
  });

  it('refuses from the size before producing anything, and says the size', () => {
    const produced: number[] = [];
    const meter: RenderMeter = { rendered: (units) => produced.push(units) };
    assert.deepEqual(within('#{a}님 OK!', { a: '김철수' }, meter), { ok: false, size: 12 });
    assert.deepEqual(within('#{a}'.repeat(131_000), { a: 'x'.repeat(4_000) }, meter), {
      ok: false,
      size: 131_000 * 4_000,
    });
    assert.deepEqual(produced, [0, 0]);
  });

  it('renders as renderTemplate does, whatever the text and the values (empty ones included)', () => {
    const text = fc.array(fc.constantFrom('#{a}', '#{b}', '#{c}', 'x', '가', '', '}', '#{'), {
      maxLength: 40,
    });
    const value = fc.constantFrom('', '', 'v', '값', '#{a}');
    fc.assert(
      fc.property(text, value, value, value, (parts, a, b, c) => {
        const template = parts.join('');
        const vars = { a, b, c };
        const expected = renderTemplate(template, vars);
        fc.pre(expected.missing.length === 0); // renderWithin is called once every name has a value
        const bounded = renderWithin(
          boundText(parsePlaceholders(template), { max: 1e9, unit: 'characters' }),
          vars,
        );
        assert.deepEqual(bounded, { ok: true, text: expected.text });
      }),
      { numRuns: 2_000 },
    );
  });

  it('renders 262,000 placeholders with an empty value and one with a value', () => {
    const text = `${'#{a}'.repeat(262_000)}#{b}`;
    assert.deepEqual(within(text, { a: '', b: '끝' }), { ok: true, text: '끝' });
  });
});
