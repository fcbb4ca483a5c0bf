import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContentUnderCheck } from '../../../../src/core/content/rules/content-under-check.ts';
import { controlCharacters } from '../../../../src/core/content/rules/control-characters.ts';
import { textUnderCheck } from '../text-under-check.ts';

const email = (subject: string, body = 'hello', recipient?: number): ContentUnderCheck =>
  textUnderCheck(body, { channel: 'email', subject, ...(recipient === undefined ? {} : { recipient }) });

describe('control characters', () => {
  it('refuses CR, LF and every other control character in an e-mail subject, naming field and index', () => {
    for (const char of ['\r', '\n', '\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\u2028', '\u2029']) {
      const error = controlCharacters.check(email(`배송 안내${char}Bcc: x@example.com`));
      assert.equal(error?.code, 'HERALD_CONTROL_CHARACTER', JSON.stringify(char));
      assert.equal(error.field, 'content.subject');
      assert.match(error.message, /^content\.subject has a control character at index 5 \(U\+[0-9A-F]{4}/);
      assert.match(error.message, /mail header/);
    }
  });

  it('says the character came with the recipient’s variables when it is in the rendered text', () => {
    const error = controlCharacters.check(email('안내\r\nBcc: x@example.com', 'hello', 3));
    assert.match(
      error?.message ?? '',
      /^content\.subject \(rendered for recipients\[3\]\) has a control character at index 2 \(U\+000D, carriage return\), brought in by recipients\[3\]\.vars/,
    );
  });

  it('refuses NUL anywhere in a body, and in subjects that are not headers', () => {
    const body = controlCharacters.check(email('안내', 'line one\u0000 line two'));
    assert.equal(body?.code, 'HERALD_CONTROL_CHARACTER');
    assert.equal(body.field, 'content.body');
    assert.match(body.message, /index 8 \(U\+0000, NUL\)/);
    const push: ContentUnderCheck = { ...email('title\u0000'), channel: 'push' };
    assert.equal(controlCharacters.check(push)?.field, 'content.subject');
  });

  it('keeps tabs and newlines in a body, and line breaks in subjects that are not mail headers', () => {
    assert.equal(controlCharacters.check(email('안내', '첫 줄\r\n둘째 줄\t끝\u001B')), undefined);
    const lms: ContentUnderCheck = { ...email('제목\n둘째 줄'), channel: 'lms' };
    assert.equal(controlCharacters.check(lms), undefined);
  });
});
