import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointSimulatorReceiptsAt } from '../../src/app/in-process-receipt-urls.ts';
import { TextSimulation } from '../../src/simulators/text/text-simulation.ts';

/** Where the in-process simulator posts its receipts once herald's API listens. */
describe('pointSimulatorReceiptsAt', () => {
  it('points ses at /ses/notifications, and SOLAPI only with a webhook secret', () => {
    const text = new TextSimulation();
    pointSimulatorReceiptsAt({ text }, 'http://127.0.0.1:4100', undefined);
    assert.deepEqual(Object.fromEntries(text.webhooks), { ses: 'http://127.0.0.1:4100/ses/notifications' });
    const withSecret = new TextSimulation();
    pointSimulatorReceiptsAt({ text: withSecret }, 'http://127.0.0.1:4100', 'a b&c');
    const report = 'http://127.0.0.1:4100/v1/receipts/solapi?token=a%20b%26c';
    assert.equal(withSecret.webhooks.get('solapi-sms'), report);
    assert.equal(withSecret.webhooks.get('solapi-vms'), report);
  });

  it('reaches a wildcard listener on loopback, leaves a URL already set alone, and outlives a reset', () => {
    const text = new TextSimulation();
    text.webhooks.set('ses', 'http://elsewhere.test/sns');
    pointSimulatorReceiptsAt({ text }, 'http://0.0.0.0:4100', 'secret');
    assert.equal(text.webhooks.get('ses'), 'http://elsewhere.test/sns');
    assert.equal(text.webhooks.get('solapi-sms'), 'http://127.0.0.1:4100/v1/receipts/solapi?token=secret');
    text.reset();
    assert.equal(text.webhooks.get('ses'), undefined, 'the hand-set URL was not part of the wiring');
    assert.equal(text.webhooks.get('solapi-sms'), 'http://127.0.0.1:4100/v1/receipts/solapi?token=secret');
    const v6 = new TextSimulation();
    pointSimulatorReceiptsAt({ text: v6 }, 'http://[::]:4100', undefined);
    assert.equal(v6.webhooks.get('ses'), 'http://[::1]:4100/ses/notifications');
  });
});
