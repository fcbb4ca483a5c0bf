import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSesSignature } from '../../../src/simulators/ses/ses-auth-check.ts';
import {
  canonicalRequest,
  parseSigV4Authorization,
  sha256Hex,
  sigV4Signature,
  stringToSign,
} from '../../../src/simulators/ses/sigv4.ts';

/**
 * The simulator's SigV4 verification checked against AWS's own published vectors, not against the
 * SDK it verifies: the Signature Version 4 test suite (AWS General Reference, "Signature Version 4
 * test suite", aws-sig-v4-test-suite; kept today in awslabs/aws-c-auth tests/aws-signing-test-suite),
 * cases `get-vanilla` and `post-vanilla`: access key AKIDEXAMPLE, secret
 * wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30 12:36:00 UTC, us-east-1, service "service".
 */
const SUITE = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};
const SCOPE = { date: '20150830', region: 'us-east-1', service: 'service' };
const AMZ_DATE = '20150830T123600Z';
const AT = Date.UTC(2015, 7, 30, 12, 36, 0);
const HEADERS = { Host: 'example.amazonaws.com', 'X-Amz-Date': AMZ_DATE };
const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNED = ['host', 'x-amz-date'];

const vanilla = (method: string) => ({
  method,
  path: '/',
  query: '',
  headers: HEADERS,
  payloadHash: sha256Hex(''),
});

describe('SigV4 (simulator side) against the AWS test suite', () => {
  it('get-vanilla: canonical request, string to sign and signature', () => {
    const canonical = canonicalRequest(vanilla('GET'), SIGNED);
    assert.equal(
      canonical,
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:${AMZ_DATE}\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    );
    assert.equal(
      stringToSign(AMZ_DATE, SCOPE, canonical),
      `AWS4-HMAC-SHA256\n${AMZ_DATE}\n20150830/us-east-1/service/aws4_request\n` +
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    assert.equal(
      sigV4Signature(vanilla('GET'), SIGNED, AMZ_DATE, SCOPE, SUITE.secretAccessKey),
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('post-vanilla: signature', () => {
    assert.equal(
      sigV4Signature(vanilla('POST'), SIGNED, AMZ_DATE, SCOPE, SUITE.secretAccessKey),
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
  });

  it('reads the suite Authorization header', () => {
    const auth = parseSigV4Authorization(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    assert.deepEqual(auth, {
      accessKeyId: 'AKIDEXAMPLE',
      scope: SCOPE,
      signedHeaders: SIGNED,
      signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
  });

  describe('checkSesSignature on the get-vanilla request', () => {
    const call = (signature: string, headers: Record<string, string> = {}) => ({
      method: 'GET',
      url: '/',
      body: Buffer.alloc(0),
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': AMZ_DATE,
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
          `SignedHeaders=host;x-amz-date, Signature=${signature}`,
        ...headers,
      },
    });
    const GOOD = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
    const errorOf = (answer: ReturnType<typeof checkSesSignature>) => answer?.headers?.['x-amzn-errortype'];

    it('accepts it as signed', () => {
      assert.equal(checkSesSignature(call(GOOD), SUITE, 'service', AT), undefined);
    });

    it('refuses another signature, key, host, scope, or a date out of the window', () => {
      const refusal = (answer: ReturnType<typeof checkSesSignature>) => [answer?.status, errorOf(answer)];
      assert.deepEqual(refusal(checkSesSignature(call(GOOD.replace(/^5/, '6')), SUITE, 'service', AT)), [
        403,
        'SignatureDoesNotMatch',
      ]);
      assert.deepEqual(
        refusal(checkSesSignature(call(GOOD, { host: 'example.amazonaws.co' }), SUITE, 'service', AT)),
        [403, 'SignatureDoesNotMatch'],
      );
      assert.deepEqual(
        refusal(checkSesSignature(call(GOOD), { ...SUITE, accessKeyId: 'AKIDOTHER' }, 'service', AT)),
        [403, 'UnrecognizedClientException'],
      );
      assert.deepEqual(refusal(checkSesSignature(call(GOOD), SUITE, 'ses', AT)), [
        403,
        'InvalidSignatureException',
      ]);
      assert.deepEqual(refusal(checkSesSignature(call(GOOD), SUITE, 'service', AT + 6 * 60_000)), [
        403,
        'InvalidSignatureException',
      ]);
      const { authorization: _a, ...unsigned } = call(GOOD).headers;
      assert.deepEqual(
        refusal(checkSesSignature({ ...call(GOOD), headers: unsigned }, SUITE, 'service', AT)),
        [403, 'MissingAuthenticationTokenException'],
      );
    });
  });
});
