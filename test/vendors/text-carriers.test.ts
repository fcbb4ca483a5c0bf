import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nhnCarrierOf } from '../../src/vendors/nhn-sms/nhn-telecom.ts';
import { sensCarrierOf } from '../../src/vendors/sens/sens-telco.ts';
import { solapiCarrierOf } from '../../src/vendors/solapi/solapi-network.ts';
import { deliveryCheckOf } from '../../src/vendors/solapi/solapi-status.ts';

describe("the text vendors' network fields as herald's carriers", () => {
  it('NHN: telecomCode as a number or a string, else telecomCodeName', () => {
    assert.equal(nhnCarrierOf(10001, 'SKT'), 'SKT');
    assert.equal(nhnCarrierOf('10002', undefined), 'KT');
    assert.equal(nhnCarrierOf(10003, 'LGU'), 'LGU+');
    assert.equal(nhnCarrierOf(undefined, 'LGU'), 'LGU+');
    assert.equal(nhnCarrierOf(99999, 'ETC'), 'unknown');
    assert.equal(nhnCarrierOf(undefined, undefined), 'unknown');
  });

  it('SENS: telcoCode SKT, KT, LGT', () => {
    assert.equal(sensCarrierOf('SKT'), 'SKT');
    assert.equal(sensCarrierOf('KT'), 'KT');
    assert.equal(sensCarrierOf('LGT'), 'LGU+');
    assert.equal(sensCarrierOf('LG U+'), 'LGU+');
    assert.equal(sensCarrierOf(''), 'unknown');
    assert.equal(sensCarrierOf(undefined), 'unknown');
  });

  it('SOLAPI: networkName, an MVNO under its parent when networkCode names one', () => {
    assert.equal(solapiCarrierOf('SKT', '45005'), 'SKT');
    assert.equal(solapiCarrierOf('KT', null), 'KT');
    assert.equal(solapiCarrierOf('LG U+', null), 'LGU+');
    assert.equal(solapiCarrierOf('MVNO', null), 'MVNO');
    assert.equal(solapiCarrierOf('알뜰폰', '45008'), 'KT');
    assert.equal(solapiCarrierOf('?', '45006'), 'LGU+');
    assert.equal(solapiCarrierOf('?', null), 'unknown');
    assert.equal(solapiCarrierOf(null, null), undefined);
  });

  it("SOLAPI's look-up carries the carrier where the message names a network, and none where not", () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    assert.deepEqual(deliveryCheckOf({ statusCode: '4000', networkName: 'KT', networkCode: '45008' }, now), {
      state: 'delivered',
      at: now,
      code: '4000',
      carrier: 'KT',
    });
    assert.deepEqual(deliveryCheckOf({ statusCode: '3104', reason: '카카오톡 미사용자' }, now), {
      state: 'undelivered',
      at: now,
      code: '3104',
      message: '카카오톡 미사용자',
      fallback: true,
    });
  });
});
