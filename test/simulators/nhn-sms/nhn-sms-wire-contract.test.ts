import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { SimulatorServer } from '../../../src/simulators/simulator-server.ts';
import { DEFAULT_RECEIPT_MIX } from '../../../src/simulators/text/receipt-mix.ts';
import type { TextVendorTrust } from '../../../src/simulators/text/text-trust.ts';
import {
  mobileNumber,
  NHN_VENDOR_ID,
  nhnAccount,
  startNhnSimulator,
} from '../../vendors/nhn-sms/nhn-sms-test-kit.ts';

interface NhnAnswer {
  status: number;
  header: { isSuccessful: boolean; resultCode: number; resultMessage: string };
  data: Record<string, unknown> & {
    sendResultList?: {
      recipientNo: string;
      resultCode: number;
      recipientSeq: number;
      recipientGroupingKey?: string;
    }[];
  };
  retryAfter: string | null;
}

describe('nhn-sms simulator wire contract', () => {
  let account: TextVendorTrust;
  let sim: SimulatorServer;

  beforeEach(async () => {
    account = nhnAccount();
    sim = await startNhnSimulator(account);
    // Every accepted message delivered: these tests read the wire, not the carrier mix.
    sim.text.results.mix = { ...DEFAULT_RECEIPT_MIX, undeliveredShare: 0 };
  });
  afterEach(() => sim.close());

  async function call(
    path: string,
    json: unknown,
    {
      secret = account.secret,
      contentType = 'application/json;charset=UTF-8',
      appKey = account.accountId,
    } = {},
  ): Promise<NhnAnswer> {
    const response = await fetch(`${sim.url}/${NHN_VENDOR_ID}/sms/v3.0/appKeys/${appKey}${path}`, {
      method: 'POST',
      headers: { 'x-secret-key': secret, 'content-type': contentType },
      body: typeof json === 'string' ? json : JSON.stringify(json),
    });
    const body = (await response.json()) as {
      header: NhnAnswer['header'];
      body?: { data: NhnAnswer['data'] };
    };
    return {
      status: response.status,
      header: body.header,
      data: body.body?.data ?? {},
      retryAfter: response.headers.get('retry-after'),
    };
  }

  const sms = (recipientList: unknown[], fields: Record<string, unknown> = {}) => ({
    body: '본문',
    sendNo: '15446859',
    recipientList,
    ...fields,
  });
  const recipient = () => ({ recipientNo: mobileNumber(), recipientGroupingKey: randomUUID() });

  it("refuses a wrong appKey (-1000) and a wrong or missing secret key (-1004) in NHN's header", async () => {
    const refused = recipient();
    const wrongKey = await call('/sender/sms', sms([refused]), { appKey: 'AAAAAAAAAAAAAAAA' });
    assert.deepEqual(
      [wrongKey.status, wrongKey.header.isSuccessful, wrongKey.header.resultCode],
      [200, false, -1000],
    );
    const wrongSecret = await call('/sender/sms', sms([refused]), { secret: 'nope' });
    assert.equal(wrongSecret.header.resultCode, -1004);
    assert.equal(sim.countFor(NHN_VENDOR_ID, refused.recipientGroupingKey), 0);
  });

  it('refuses a non-JSON content type (-9996), bad JSON (-9997) and an unknown API (-9998)', async () => {
    assert.equal(
      (await call('/sender/sms', sms([recipient()]), { contentType: 'text/plain' })).header.resultCode,
      -9996,
    );
    assert.equal((await call('/sender/sms', '{"body":', {})).header.resultCode, -9997);
    const unknown = await call('/sender/fax', sms([recipient()]));
    assert.deepEqual([unknown.status, unknown.header.resultCode], [404, -9998]);
  });

  it('answers each of up to 1,000 recipients in sendResultList, counting each by its grouping key', async () => {
    const recipients = Array.from({ length: 1000 }, recipient);
    recipients[7] = { recipientNo: '12345', recipientGroupingKey: randomUUID() };
    const answer = await call('/sender/sms', sms(recipients));
    assert.equal(answer.header.resultCode, 0);
    assert.match(String(answer.data.requestId), /^\d{14}[A-Za-z0-9]{11}$/);
    const results = answer.data.sendResultList ?? [];
    assert.equal(results.length, 1000);
    assert.deepEqual(
      results
        .filter((result) => result.resultCode !== 0)
        .map((result) => [result.recipientSeq, result.resultCode]),
      [[8, -2019]],
    );
    assert.equal(sim.countFor(NHN_VENDOR_ID, recipients[0]!.recipientGroupingKey), 1);
    assert.equal(sim.countFor(NHN_VENDOR_ID, recipients[7]!.recipientGroupingKey), 0);
    assert.equal(sim.text.results.get(NHN_VENDOR_ID, `${answer.data.requestId}:1`)?.code, '1000');
    assert.equal((await call('/sender/sms', sms([...recipients, recipient()]))).header.resultCode, -2016);
  });

  it("returns the call's senderGroupingKey, and refuses one over 100 characters or not a string (4)", async () => {
    const tagged = await call('/sender/sms', sms([recipient()], { senderGroupingKey: 'herald-realtime' }));
    assert.equal(tagged.data.senderGroupingKey, 'herald-realtime');
    for (const senderGroupingKey of ['k'.repeat(101), 7]) {
      const refused = await call('/sender/sms', sms([recipient()], { senderGroupingKey }));
      assert.equal(refused.header.resultCode, 4, String(senderGroupingKey));
    }
    assert.equal(
      (await call('/sender/sms', sms([recipient()], { senderGroupingKey: 'k'.repeat(100) }))).header
        .resultCode,
      0,
    );
  });

  it('refuses a sendNo not on the vendor list with -2312', async () => {
    sim.text.senderNumbers.set(NHN_VENDOR_ID, ['0212345678']);
    assert.equal((await call('/sender/sms', sms([recipient()]))).header.resultCode, -2312);
    assert.equal(
      (await call('/sender/sms', sms([recipient()], { sendNo: '0212345678' }))).header.resultCode,
      0,
    );
  });

  it('takes an MMS naming an uploaded file, and refuses an unknown file id with -2004', async () => {
    const upload = await call('/attachfile/binaryUpload', {
      fileName: 'a.jpg',
      createUser: 'test',
      fileBody: Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64'),
    });
    assert.equal(upload.header.resultCode, 0);
    const mms = (fileId: unknown) => sms([recipient()], { title: '제목', attachFileIdList: [fileId] });
    assert.equal((await call('/sender/mms', mms(upload.data.fileId))).header.resultCode, 0);
    assert.equal((await call('/sender/mms', mms(12345))).header.resultCode, -2004);
    assert.equal(sim.text.files.count(NHN_VENDOR_ID), 1);
  });

  it('refuses uploads that are not small jpg files', async () => {
    const body = (fields: Record<string, unknown>) => ({
      fileName: 'a.jpg',
      createUser: 'test',
      fileBody: Buffer.from([1, 2, 3]).toString('base64'),
      ...fields,
    });
    assert.equal(
      (await call('/attachfile/binaryUpload', body({ fileName: 'a.png' }))).header.resultCode,
      -2003,
    );
    assert.equal(
      (await call('/attachfile/binaryUpload', body({ fileName: 'A.JPG' }))).header.resultCode,
      -2003,
    );
    assert.equal(
      (await call('/attachfile/binaryUpload', body({ fileName: `${'a'.repeat(42)}.jpg` }))).header.resultCode,
      -2002,
    );
    const big = Buffer.alloc(300 * 1024 + 1).toString('base64');
    assert.equal((await call('/attachfile/binaryUpload', body({ fileBody: big }))).header.resultCode, -2005);
    assert.equal((await call('/attachfile/binaryUpload', body({ fileBody: '' }))).header.resultCode, -2005);
    assert.equal(sim.text.files.count(NHN_VENDOR_ID), 0);
  });

  it('fails the whole call on a simulated outage (HTTP 500) and throttles with 429 and Retry-After', async () => {
    sim.setBehaviour(NHN_VENDOR_ID, { errorShare: 1, errors: [{ status: 503, code: '-2021', weight: 1 }] });
    const outage = await call('/sender/sms', sms([recipient()]));
    assert.deepEqual([outage.status, outage.header.resultCode], [500, -2021]);
    sim.setBehaviour(NHN_VENDOR_ID, { errorShare: 0, rateLimitPerSecond: 1 });
    await call('/sender/sms', sms([recipient()]));
    const throttled = await call('/sender/sms', sms([recipient()]));
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.retryAfter) >= 1);
  });

  it("renders a simulated 4xx as that recipient's result code", async () => {
    sim.setBehaviour(NHN_VENDOR_ID, { errorShare: 1, errors: [{ status: 400, code: '-2023', weight: 1 }] });
    const answer = await call('/sender/sms', sms([recipient()]));
    assert.equal(answer.header.resultCode, 0);
    assert.equal(answer.data.sendResultList?.[0]?.resultCode, -2023);
  });

  it('answers the result look-up by requestId and recipientSeq, behind the same secret key', async () => {
    const sent = await call('/sender/mms', sms([recipient()], { title: '제목' }));
    const requestId = String(sent.data.requestId);
    const lookUp = async (query: string, secret = account.secret) => {
      const path = `/sms/v3.0/appKeys/${account.accountId}/sender/mms/${requestId}${query}`;
      const response = await fetch(`${sim.url}/${NHN_VENDOR_ID}${path}`, {
        headers: { 'x-secret-key': secret },
      });
      return (await response.json()) as {
        header: NhnAnswer['header'];
        body?: { data: Record<string, unknown> };
      };
    };
    const found = await lookUp('?recipientSeq=1');
    assert.equal(found.body?.data.msgStatus, '3');
    assert.equal(found.body?.data.resultCode, '1000');
    assert.equal((await lookUp('?recipientSeq=2')).header.resultCode, -2007);
    assert.equal((await lookUp('')).header.resultCode, -2012);
    assert.equal((await lookUp('?recipientSeq=1', 'wrong')).header.resultCode, -1004);
  });

  it('lists results by registration or send dates, in registration order, page by page', async () => {
    let clock = Date.parse('2026-03-01T12:00:00.500+09:00');
    const timed = await startNhnSimulator(account, () => clock);
    // As the shared simulator: every message delivered (the rows' statuses below say 3).
    timed.text.results.mix = { ...DEFAULT_RECEIPT_MIX, undeliveredShare: 0 };
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${timed.url}/${NHN_VENDOR_ID}/sms/v3.0/appKeys/${account.accountId}${path}`, {
          method: 'POST',
          headers: { 'x-secret-key': account.secret, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(
          async (response) =>
            ((await response.json()) as { body: { data: { requestId: string } } }).body.data,
        );
      const first = await post('/sender/sms', sms([recipient(), recipient(), recipient()]));
      clock += 2_000;
      const second = await post(
        '/sender/sms',
        sms([recipient(), recipient()], { senderGroupingKey: 'lane-b' }),
      );
      clock += 2_000;
      await post('/sender/mms', sms([recipient()], { title: '제목' }));
      clock += 60_000;
      const list = async (product: string, query: Record<string, string>) => {
        const search = new URLSearchParams(query).toString();
        const path = `/sms/v3.0/appKeys/${account.accountId}/sender/${product}?${search}`;
        const response = await fetch(`${timed.url}/${NHN_VENDOR_ID}${path}`, {
          headers: { 'x-secret-key': account.secret },
        });
        return (await response.json()) as {
          header: NhnAnswer['header'];
          body?: { pageSize: number; totalCount: number; data: Record<string, unknown>[] };
        };
      };
      const rowsOf = (answer: Awaited<ReturnType<typeof list>>) =>
        answer.body!.data.map((row) => `${row.requestId === first.requestId ? 'a' : 'b'}${row.recipientSeq}`);
      const all = {
        startCreateDate: '2026-03-01 12:00:00',
        endCreateDate: '2026-03-01 12:00:02',
        pageSize: '1000',
      };

      const both = await list('sms', all);
      assert.equal(both.body!.totalCount, 5, 'the end second counts whole: 12:00:02.5 is in');
      assert.deepEqual(rowsOf(both), ['a1', 'a2', 'a3', 'b1', 'b2']);
      assert.equal(both.body!.data[0]!.createDate, '2026-03-01 12:00:00.5');
      assert.equal(both.body!.data[3]!.requestDate, '2026-03-01 12:00:02.5');
      assert.equal(both.body!.data[0]!.msgStatus, '3');
      assert.equal((await list('sms', { ...all, endCreateDate: '2026-03-01 12:00:01' })).body!.totalCount, 3);
      assert.equal(
        (await list('sms', { ...all, startCreateDate: '2026-03-01 12:00:01' })).body!.totalCount,
        2,
      );
      assert.equal((await list('mms', { ...all, endCreateDate: '2026-03-01 12:00:04' })).body!.totalCount, 1);
      assert.equal(second.requestId.length, 25);

      const page = async (pageNum: number) =>
        list('sms', { ...all, pageSize: '2', pageNum: String(pageNum) });
      assert.deepEqual(rowsOf(await page(2)), ['a3', 'b1']);
      const last = await page(3);
      assert.deepEqual([rowsOf(last), last.body!.pageSize, last.body!.totalCount], [['b2'], 1, 5]);
      assert.deepEqual(rowsOf(await page(4)), []);

      const sent = { startRequestDate: '2026-03-01 12:00:02', endRequestDate: '2026-03-01 12:00:02' };
      assert.deepEqual(rowsOf(await list('sms', sent)), ['b1', 'b2']);
      const createWins = {
        ...sent,
        startCreateDate: '2026-03-01 12:00:00',
        endCreateDate: '2026-03-01 12:00:00',
      };
      assert.deepEqual(rowsOf(await list('sms', createWins)), ['a1', 'a2', 'a3']);

      // senderGroupingKey: the call's tag, on its rows, and a filter of either criterion.
      const tagged = await list('sms', { ...all, senderGroupingKey: 'lane-b' });
      assert.deepEqual([rowsOf(tagged), tagged.body!.totalCount], [['b1', 'b2'], 2]);
      assert.equal(tagged.body!.data[0]!.senderGroupingKey, 'lane-b');
      assert.equal(both.body!.data[0]!.senderGroupingKey, undefined);
      assert.equal((await list('sms', { ...all, senderGroupingKey: 'lane-c' })).body!.totalCount, 0);
      const byRequest = { requestId: first.requestId, pageSize: '1000' };
      assert.equal((await list('sms', byRequest)).body!.totalCount, 3);
      assert.equal((await list('sms', { ...byRequest, senderGroupingKey: 'lane-b' })).body!.totalCount, 0);

      const refused: Record<string, string>[] = [
        { startCreateDate: '2026-3-01 12:00:00', endCreateDate: '2026-03-01 12:00:02' },
        { startCreateDate: '2026-02-30 12:00:00', endCreateDate: '2026-03-01 12:00:02' },
        { startCreateDate: '2026-03-01T12:00:00', endCreateDate: '2026-03-01 12:00:02' },
        { startCreateDate: '2026-03-01 12:00:00' },
        { pageSize: '1000' },
      ];
      for (const bad of refused) {
        assert.equal((await list('sms', bad)).header.resultCode, -2012, JSON.stringify(bad));
      }
    } finally {
      await timed.close();
    }
  });
});
