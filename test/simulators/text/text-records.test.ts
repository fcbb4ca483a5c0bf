import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryResults } from '../../../src/simulators/text/delivery-results.ts';
import { UploadedFiles } from '../../../src/simulators/text/uploaded-files.ts';
import { VendorAllowList } from '../../../src/simulators/text/vendor-allow-list.ts';
import { VendorTemplates } from '../../../src/simulators/text/vendor-templates.ts';

describe('the text vendors records', () => {
  it('allow lists are open until set, per vendor, with * for every vendor without its own', () => {
    const list = new VendorAllowList();
    assert.equal(list.allows('nhn-sms', '0212345678'), true);
    assert.equal(list.listOf('nhn-sms'), null);
    list.set('*', ['0212345678']);
    list.set('sens-sms', ['0311112222']);
    assert.equal(list.allows('nhn-sms', '0212345678'), true);
    assert.equal(list.allows('nhn-sms', '0311112222'), false);
    assert.equal(list.allows('sens-sms', '0212345678'), false);
    assert.deepEqual(list.listOf('sens-sms'), ['0311112222']);
    list.set('sens-sms', null);
    assert.equal(list.allows('sens-sms', '0212345678'), true);
  });

  it('templates are kept per vendor: approved at once by default, requested when review is on', () => {
    const templates = new VendorTemplates();
    const base = { code: 'T1', name: 'order', senderId: '@shop', body: '#{name}님 주문', buttons: [] };
    assert.equal(templates.put('nhn-alimtalk', base, 1).state, 'approved');
    templates.autoApprove = false;
    assert.equal(templates.put('sens-alimtalk', base, 2).state, 'requested');
    const replaced = templates.put('nhn-alimtalk', { ...base, body: 'changed' }, 3);
    assert.equal(replaced.state, 'requested');
    assert.equal(replaced.createdAt, 1);
    assert.equal(templates.get('solapi-alimtalk', 'T1'), undefined);
    assert.deepEqual(
      templates.list('nhn-alimtalk').map((t) => t.body),
      ['changed'],
    );
  });

  it('uploaded files are known to their vendor only, until they expire, and counted per image', () => {
    const files = new UploadedFiles();
    const image = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
    const file = files.add('nhn-sms', 'a.jpg', image, 1_000, 10_000);
    files.add('nhn-sms', 'a.jpg', image, 1_000, 10_000);
    assert.equal(files.get('nhn-sms', file.fileId, 10_999)?.bytes, 4);
    assert.equal(files.get('nhn-sms', file.fileId, 11_000), undefined);
    assert.equal(files.get('sens-sms', file.fileId, 10_500), undefined);
    assert.equal(files.count('nhn-sms', file.sha256), 2);
    assert.equal(files.count('sens-sms'), 0);
  });

  it('delivery results are ready after the configured delay', () => {
    const results = new DeliveryResults();
    results.resultDelayMs = 500;
    results.record('nhn-alimtalk', 'r1', { messageId: 'm1', to: '01012345678', code: '3019' }, 1_000);
    assert.equal(results.get('nhn-alimtalk', 'r1')?.readyAt, 1_500);
    assert.equal(results.get('sens-alimtalk', 'r1'), undefined);
    results.reset();
    assert.equal(results.get('nhn-alimtalk', 'r1'), undefined);
    assert.equal(results.resultDelayMs, 0);
  });
});
