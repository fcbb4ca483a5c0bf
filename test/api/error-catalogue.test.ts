import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { envVariables } from '../../src/config/env-config.ts';
import { ERROR_CODES } from '../../src/core/domain/errors.ts';

/** The catalogue in docs/errors.md is the API contract: code and docs are checked both ways. */
const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** Table rows `| \`HERALD_X\` | 400 | ...` (cells may be padded): code -> documented HTTP status. */
function documentedRows(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of docs.matchAll(/^\|\s*`(HERALD_[A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/gm)) {
    assert.ok(!rows.has(match[1]!), `${match[1]} is documented twice`);
    rows.set(match[1]!, Number(match[2]));
  }
  return rows;
}

describe('error catalogue (docs/errors.md)', () => {
  it('documents every code of ERROR_CODES with its HTTP status', () => {
    const rows = documentedRows();
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.ok(rows.has(code), `${code} has no row in docs/errors.md`);
      assert.equal(rows.get(code), status, `${code}: docs say ${rows.get(code)}, ERROR_CODES says ${status}`);
    }
  });

  it('mentions no code that ERROR_CODES does not have (environment variables aside)', () => {
    const variables = new Set(envVariables().map((variable) => variable.name));
    const mentioned = new Set(Array.from(docs.matchAll(/HERALD_[A-Z0-9_]+/g), (match) => match[0]));
    for (const code of mentioned) {
      assert.ok(
        Object.hasOwn(ERROR_CODES, code) || variables.has(code),
        `docs/errors.md mentions ${code}, which is not in ERROR_CODES`,
      );
    }
  });
});
