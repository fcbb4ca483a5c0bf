import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate, templateVariables } from '../../../src/core/content/render-template.ts';

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
