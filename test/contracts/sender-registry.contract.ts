import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KakaoChannel, SenderRegistry } from '../../src/ports/sender-registry.ts';
import type { ContractSubject } from './contract-helpers.ts';
import { uniqueName } from './contract-helpers.ts';

/** A fresh registry whose clock (registeredAt) the suite steps. */
export type SenderRegistryFactory = (now: () => number) => Promise<ContractSubject<SenderRegistry>>;

const NHN_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** What the sender registry holds for each client, whatever engine holds it. */
export function describeSenderRegistryContract(name: string, makeStore: SenderRegistryFactory): void {
  describe(`${name} sender registry contract`, () => {
    let store: SenderRegistry;
    let cleanup: () => Promise<void>;
    let clientId: string;
    let clock: number;

    beforeEach(async () => {
      clock = 1_000;
      ({ store, cleanup } = await makeStore(() => clock));
      clientId = uniqueName('client');
    });
    afterEach(async () => cleanup());

    it('knows nothing of a client that registered nothing', async () => {
      assert.deepEqual(await store.listSenderNumbers(clientId), []);
      assert.deepEqual(await store.listKakaoChannels(clientId), []);
      assert.deepEqual(await store.listImageHosts(clientId), []);
      assert.equal((await store.listKakaoClients()).includes(clientId), false);
    });

    it('stores sender numbers as given, in order, and answers them as stored', async () => {
      const stored = await store.putSenderNumbers(clientId, [
        { number: '0212345678', isDefault: true, label: 'Seoul office' },
        { number: '15881234', isDefault: false },
      ]);
      assert.deepEqual(stored, [
        { number: '0212345678', isDefault: true, label: 'Seoul office', registeredAt: 1_000 },
        { number: '15881234', isDefault: false, registeredAt: 1_000 },
      ]);
      assert.deepEqual(await store.listSenderNumbers(clientId), stored);
    });

    it('replaces the list whole; a number kept keeps its registration time, a new one is newer', async () => {
      await store.putSenderNumbers(clientId, [
        { number: '0212345678', isDefault: true },
        { number: '15881234', isDefault: false },
      ]);
      clock = 5_000;
      const stored = await store.putSenderNumbers(clientId, [
        { number: '01099998888', isDefault: true },
        { number: '0212345678', isDefault: false, label: 'old main' },
      ]);
      assert.deepEqual(stored, [
        { number: '0212345678', isDefault: false, label: 'old main', registeredAt: 1_000 },
        { number: '01099998888', isDefault: true, registeredAt: 5_000 },
      ]);
      assert.deepEqual(await store.putSenderNumbers(clientId, []), []);
      assert.deepEqual(await store.listSenderNumbers(clientId), []);
    });

    it("keeps each client's registration apart", async () => {
      const other = uniqueName('client');
      await store.putSenderNumbers(clientId, [{ number: '0212345678', isDefault: true }]);
      await store.putSenderNumbers(other, [{ number: '0311112222', isDefault: true }]);
      await store.putSenderNumbers(clientId, []);
      assert.deepEqual(
        (await store.listSenderNumbers(other)).map((n) => n.number),
        ['0311112222'],
      );
    });

    it('stores Kakao channels with the id each vendor knows them by', async () => {
      const channels: Omit<KakaoChannel, 'registeredAt'>[] = [
        {
          name: '@shop',
          senderIds: {
            'nhn-alimtalk': NHN_KEY,
            'sens-alimtalk': '@shop',
            'solapi-alimtalk': 'KA01PF2101010000',
          },
          isDefault: true,
        },
        { name: '@shop-events', senderIds: { 'nhn-alimtalk': NHN_KEY.replace('a', 'b') }, isDefault: false },
      ];
      const stored = await store.putKakaoChannels(clientId, channels);
      assert.deepEqual(
        stored,
        channels.map((c) => ({ ...c, registeredAt: 1_000 })),
      );
      assert.deepEqual(await store.listKakaoChannels(clientId), stored);
      clock = 2_000;
      const replaced = await store.putKakaoChannels(clientId, [{ ...channels[1]!, isDefault: true }]);
      assert.deepEqual(replaced, [{ ...channels[1]!, isDefault: true, registeredAt: 1_000 }]);
    });

    it('lists the clients with a Kakao channel, and forgets a client whose channels were removed', async () => {
      const other = uniqueName('client');
      await store.putKakaoChannels(clientId, [{ name: '@a', senderIds: { x: 'a' }, isDefault: true }]);
      await store.putKakaoChannels(other, [{ name: '@b', senderIds: { x: 'b' }, isDefault: true }]);
      await store.putSenderNumbers(uniqueName('numbers-only'), [{ number: '0212345678', isDefault: true }]);
      const clients = await store.listKakaoClients();
      assert.ok(clients.includes(clientId) && clients.includes(other));
      assert.equal(new Set(clients).size, clients.length, 'each client once');
      await store.putKakaoChannels(other, []);
      assert.equal((await store.listKakaoClients()).includes(other), false);
    });

    it('replaces the image hosts, in the order given', async () => {
      assert.deepEqual(await store.putImageHosts(clientId, ['cdn.example.com', 'img.example.kr']), [
        'cdn.example.com',
        'img.example.kr',
      ]);
      clock = 3_000;
      await store.putImageHosts(clientId, ['static.example.com', 'img.example.kr']);
      assert.deepEqual(await store.listImageHosts(clientId), ['img.example.kr', 'static.example.com']);
      await store.putImageHosts(clientId, []);
      assert.deepEqual(await store.listImageHosts(clientId), []);
    });

    it('stores e-mail sender addresses with their display names, replaces them whole, per client', async () => {
      assert.deepEqual(await store.listEmailSenders(clientId), []);
      const stored = await store.putEmailSenders(clientId, [
        { address: 'orders@shop.example', name: 'Shop 주문', isDefault: true },
        { address: 'news@shop.example', isDefault: false },
      ]);
      assert.deepEqual(stored, [
        { address: 'orders@shop.example', name: 'Shop 주문', isDefault: true, registeredAt: 1_000 },
        { address: 'news@shop.example', isDefault: false, registeredAt: 1_000 },
      ]);
      assert.deepEqual(await store.listEmailSenders(clientId), stored);
      const other = uniqueName('client');
      await store.putEmailSenders(other, [{ address: 'hi@other.example', isDefault: true }]);
      clock = 4_000;
      const replaced = await store.putEmailSenders(clientId, [
        { address: 'help@shop.example', isDefault: true },
        { address: 'orders@shop.example', isDefault: false },
      ]);
      assert.deepEqual(replaced, [
        { address: 'orders@shop.example', isDefault: false, registeredAt: 1_000 },
        { address: 'help@shop.example', isDefault: true, registeredAt: 4_000 },
      ]);
      assert.deepEqual(await store.putEmailSenders(clientId, []), []);
      assert.deepEqual(
        (await store.listEmailSenders(other)).map((e) => e.address),
        ['hi@other.example'],
      );
      assert.deepEqual(await store.listSenderNumbers(clientId), [], 'numbers are a list of their own');
    });

    it('refuses two default e-mail senders for one client, keeping the previous list', async () => {
      await store.putEmailSenders(clientId, [{ address: 'a@shop.example', isDefault: true }]);
      await assert.rejects(
        store.putEmailSenders(clientId, [
          { address: 'b@shop.example', isDefault: true },
          { address: 'c@shop.example', isDefault: true },
        ]),
      );
      assert.deepEqual(
        (await store.listEmailSenders(clientId)).map((e) => e.address),
        ['a@shop.example'],
      );
    });

    it('answers healthy while open', async () => {
      assert.equal(await store.healthy(), true);
    });
  });
}
