import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addressRefusal,
  isAllowEntry,
  isOwnPort,
  parseCallbackUrl,
  urlRefusal,
} from '../../../src/core/callbacks/callback-address-policy.ts';
import { DEFAULT_CALLBACK_SETTINGS } from '../../../src/core/callbacks/callback-settings.ts';

const settings = (allow: string[], allowHttp: string[] = []) => ({
  ...DEFAULT_CALLBACK_SETTINGS,
  allow,
  allowHttp,
});

function refusal(url: string, allow: string[], allowHttp: string[] = []): string | undefined {
  const target = parseCallbackUrl(url);
  if (typeof target === 'string') return target;
  return urlRefusal(target, settings(allow, allowHttp));
}

describe('callback URL policy', () => {
  it('allows nothing by default', () => {
    assert.match(refusal('https://hooks.example.com/x', [])!, /add "hooks\.example\.com"/);
  });

  it('takes listed names, subdomains of a wildcard, and IPs inside listed networks', () => {
    assert.equal(refusal('https://hooks.example.com/x', ['hooks.example.com']), undefined);
    assert.equal(refusal('https://a.shop.example/x', ['*.shop.example']), undefined);
    assert.ok(refusal('https://shop.example/x', ['*.shop.example']), 'the wildcard is for subdomains');
    assert.ok(refusal('https://evilshop.example/x', ['*.shop.example']));
    assert.equal(refusal('https://203.0.113.9/x', ['203.0.113.0/24']), undefined);
    assert.ok(refusal('https://203.0.114.9/x', ['203.0.113.0/24']));
    assert.equal(refusal('https://[2001:db8::1]/x', ['2001:db8::/32']), undefined);
  });

  it('takes plain http only for hosts in allowHttp, and never credentials or fragments', () => {
    assert.match(refusal('http://hooks.example.com/x', ['hooks.example.com'])!, /allowHttp/);
    assert.equal(
      refusal('http://hooks.example.com/x', ['hooks.example.com'], ['hooks.example.com']),
      undefined,
    );
    assert.match(refusal('https://u:p@hooks.example.com/x', ['hooks.example.com'])!, /password/);
    assert.match(refusal('https://hooks.example.com/x#y', ['hooks.example.com'])!, /fragment/);
    assert.match(refusal('ftp://hooks.example.com/x', ['hooks.example.com'])!, /https/);
    assert.match(refusal('not a url', [])!, /absolute/);
  });
});

describe('callback address policy', () => {
  it('refuses loopback, private, link-local, CGNAT and metadata addresses unless a listed network holds them', () => {
    for (const address of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '192.168.0.1',
      '169.254.169.254',
      'fd00:ec2::254',
      '100.100.100.200',
      '0.0.0.0',
      '::ffff:127.0.0.1',
    ]) {
      assert.ok(addressRefusal(address, settings([])), address);
    }
    assert.match(addressRefusal('169.254.169.254', settings([]))!, /metadata/);
    assert.equal(addressRefusal('93.184.216.34', settings([])), undefined, 'public unicast');
    assert.equal(addressRefusal('127.0.0.1', settings(['127.0.0.0/8'])), undefined);
    assert.equal(
      addressRefusal('::ffff:127.0.0.1', settings(['127.0.0.1'])),
      undefined,
      'a mapped address is its IPv4',
    );
    assert.equal(addressRefusal('10.1.2.3', settings(['10.0.0.0/8'])), undefined);
    assert.ok(addressRefusal('10.1.2.3', settings(['10.1.2.3.example'])), 'a name lists no address');
  });

  it("knows herald's own ports on local addresses only", () => {
    assert.equal(isOwnPort('127.0.0.1', 8080, [8080]), true);
    assert.equal(isOwnPort('10.0.0.5', 8080, [8080]), true);
    assert.equal(isOwnPort('93.184.216.34', 8080, [8080]), false);
    assert.equal(isOwnPort('127.0.0.1', 9000, [8080]), false);
  });

  it('checks allowlist entries for the remote config rules', () => {
    for (const entry of ['hooks.example.com', '*.example.com', '10.0.0.0/8', '::1', '203.0.113.7']) {
      assert.equal(isAllowEntry(entry), true, entry);
    }
    for (const entry of ['http://x', 'a b', '10.0.0.0/40', '*'])
      assert.equal(isAllowEntry(entry), false, entry);
  });
});
