import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeraldError } from '../../../src/core/domain/errors.ts';
import { checkRequest } from '../../../src/core/submission/check-request.ts';
import type { SubmissionRequest } from '../../../src/core/submission/submission-types.ts';
import { DEFAULT_ALIMTALK_VENDORS } from '../../support/templates.ts';
import { ORDER_TEMPLATE } from './fake-submission-context.ts';

const templates = {
  get: async (clientId: string, code: string) =>
    clientId === ORDER_TEMPLATE.clientId && code === ORDER_TEMPLATE.code ? ORDER_TEMPLATE : undefined,
};

const sms: SubmissionRequest = {
  clientId: 'shop',
  channel: 'sms',
  lane: 'realtime',
  content: { body: 'hello #{name}' },
  recipients: [{ to: '01012345678', vars: { name: 'Kim' } }],
};

describe('checkRequest', () => {
  it('resolves fixed text, text with placeholders and registered templates', async () => {
    const fixed = await checkRequest(
      { ...sms, content: { body: 'hello' } },
      templates,
      true,
      DEFAULT_ALIMTALK_VENDORS,
    );
    assert.deepEqual(fixed, { kind: 'fixed', content: { body: 'hello' }, channel: 'sms' });
    const inline = await checkRequest(sms, templates, true, DEFAULT_ALIMTALK_VENDORS);
    assert.equal(inline.kind, 'inline');
    assert.deepEqual(inline.kind === 'inline' && inline.names.list, ['name']);
    const alimtalk: SubmissionRequest = {
      ...sms,
      channel: 'alimtalk',
      content: undefined,
      template: { code: 'ORDER_SHIPPED', vars: { orderNo: '1' } },
    };
    const template = await checkRequest(alimtalk, templates, true, DEFAULT_ALIMTALK_VENDORS);
    assert.equal(template.kind, 'template');
    assert.deepEqual(template.kind === 'template' && [template.template, template.sharedVars], [
      ORDER_TEMPLATE,
      { orderNo: '1' },
    ]);
  });

  it('refuses non-EUC-KR text in an SMS body, naming the field, index and code point', async () => {
    await assert.rejects(
      checkRequest({ ...sms, content: { body: '안녕 😀' } }, templates, true, DEFAULT_ALIMTALK_VENDORS),
      (error: HeraldError) => {
        assert.equal(error.code, 'HERALD_NOT_EUC_KR');
        assert.equal(error.field, 'content.body');
        assert.match(error.message, /content\.body .*index 3.*U\+1F600/);
        return true;
      },
    );
  });

  it('refuses a CP949-only character in an LMS subject', async () => {
    const lms = { ...sms, channel: 'lms' as const, content: { subject: '똠방각하', body: 'x' } };
    await assert.rejects(checkRequest(lms, templates, true, DEFAULT_ALIMTALK_VENDORS), {
      code: 'HERALD_NOT_EUC_KR',
      field: 'content.subject',
    });
  });

  it('answers size problems of text without placeholders once, for the whole request', async () => {
    const long = { ...sms, content: { body: '가'.repeat(46) } };
    await assert.rejects(checkRequest(long, templates, false, DEFAULT_ALIMTALK_VENDORS), {
      code: 'HERALD_SMS_TOO_LONG',
      field: 'content.body',
    });
    assert.deepEqual(await checkRequest(long, templates, true, DEFAULT_ALIMTALK_VENDORS), {
      kind: 'fixed',
      content: long.content,
      channel: 'lms',
    });
  });

  it('needs exactly one of content and template, and the right one for the channel', async () => {
    await assert.rejects(
      checkRequest({ ...sms, content: undefined }, templates, true, DEFAULT_ALIMTALK_VENDORS),
      {
        code: 'HERALD_MISSING_CONTENT',
        message: /sms messages need content/,
      },
    );
    await assert.rejects(
      checkRequest(
        { ...sms, template: { code: 'ORDER_SHIPPED' } },
        templates,
        true,
        DEFAULT_ALIMTALK_VENDORS,
      ),
      {
        code: 'HERALD_MISSING_CONTENT',
        message: /not both/,
      },
    );
    await assert.rejects(
      checkRequest({ ...sms, channel: 'alimtalk' }, templates, true, DEFAULT_ALIMTALK_VENDORS),
      {
        code: 'HERALD_MISSING_CONTENT',
        message: /alimtalk messages need template/,
      },
    );
  });

  it('refuses an unregistered template code', async () => {
    const unknown = { ...sms, channel: 'alimtalk' as const, content: undefined, template: { code: 'NOPE' } };
    await assert.rejects(checkRequest(unknown, templates, true, DEFAULT_ALIMTALK_VENDORS), {
      code: 'HERALD_TEMPLATE_NOT_FOUND',
      field: 'template.code',
    });
  });

  it('repeats the schema rules for callers other than the API', async () => {
    const cases: [Partial<SubmissionRequest> & Record<string, unknown>, string][] = [
      [{ channel: 'fax' as never }, 'HERALD_UNKNOWN_CHANNEL'],
      [{ lane: 'urgent' as never }, 'HERALD_UNKNOWN_LANE'],
      [{ recipients: [] }, 'HERALD_NO_RECIPIENTS'],
      [
        { recipients: Array.from({ length: 101 }, () => ({ to: '01012345678' })) },
        'HERALD_TOO_MANY_RECIPIENTS',
      ],
      [{ idempotencyKey: '' }, 'HERALD_INVALID_IDEMPOTENCY_KEY'],
      [{ idempotencyKey: 'k'.repeat(256) }, 'HERALD_INVALID_IDEMPOTENCY_KEY'],
      [{ expiresInSeconds: 0 }, 'HERALD_VALIDATION_FAILED'],
    ];
    for (const [override, code] of cases) {
      await assert.rejects(
        checkRequest({ ...sms, ...override }, templates, true, DEFAULT_ALIMTALK_VENDORS),
        { code },
        code,
      );
    }
  });
});
