/**
 * The requests apiWorstCase times: a normal one, and candidates for the most expensive request a
 * client can send within the body limit (HERALD_BODY_LIMIT_BYTES). Each builder takes the round
 * number, so recipients differ between rounds and no request is answered as a duplicate of an
 * earlier one (a duplicate skips the transport and would look cheaper than it is).
 */
export interface Candidate {
  readonly name: string;
  /** What the request is and why it might be expensive. */
  readonly idea: string;
  build(round: number): unknown;
}

const AD_TAIL = '\n무료수신거부 080-888-0327';

/** Registered (and recorded approved) by the scenario before the run (PUT /admin/templates/:code). */
export const WORST_CASE_TEMPLATE = {
  code: 'WORST_CASE_NOTICE',
  body: '#{name}님, 주문 #{orderNo}이 발송되었습니다.',
};

function phones(round: number, count: number, vars?: (i: number) => Record<string, string>) {
  return Array.from({ length: count }, (_, i) => ({
    to: `010${String(10_000_000 + round * 100 + i).padStart(8, '0')}`,
    ...(vars ? { vars: vars(i) } : {}),
  }));
}

function addresses(round: number, count: number, vars?: (i: number) => Record<string, string>) {
  return Array.from({ length: count }, (_, i) => ({
    to: `user${round * 100 + i}@example.com`,
    ...(vars ? { vars: vars(i) } : {}),
  }));
}

/** 100 SMS recipients, one short variable each: what a client sends every day. */
export const NORMAL: Candidate = {
  name: 'normal',
  idea: '100 SMS recipients, a 50-character body with one #{name} each',
  build: (round) => ({
    channel: 'sms',
    lane: 'batch',
    content: { body: '#{name}님, 주문하신 음식이 출발했어요. 도착 예정 12:30' },
    recipients: phones(round, 100, (i) => ({ name: `고객${i}` })),
  }),
};

/** Every candidate fits the default body limit of 1 MiB (checked before the run). */
export const CANDIDATES: readonly Candidate[] = [
  {
    name: 'placeholderBomb',
    idea: 'issue 8: 131,000 #{a} (528 KB), a = 4,000 characters, 1 recipient',
    build: (round) => ({
      channel: 'sms',
      lane: 'batch',
      content: { body: '#{a}'.repeat(131_000) },
      recipients: phones(round, 1, () => ({ a: 'x'.repeat(4_000) })),
    }),
  },
  {
    name: 'placeholderBomb100',
    idea: '131,000 #{a}, 100 recipients each with a 4,000-character a (930 KB)',
    build: (round) => ({
      channel: 'sms',
      lane: 'batch',
      content: { body: '#{a}'.repeat(131_000) },
      recipients: phones(round, 100, (i) => ({ a: `${i}`.padEnd(4_000, 'x') })),
    }),
  },
  {
    name: 'emptyValueBomb100',
    idea: '131,000 #{a} with a = "" and one #{b}: 100 recipients whose text renders within the limit',
    build: (round) => ({
      channel: 'sms',
      lane: 'batch',
      content: { body: `${'#{a}'.repeat(131_000)}#{b}` },
      recipients: phones(round, 100, (i) => ({ a: '', b: `안내 ${i}` })),
    }),
  },
  {
    name: 'hangulEmailBomb100',
    idea: 'e-mail, 131,000 #{a}, 100 recipients with 1,500 Hangul characters each (1.6 GB each if rendered)',
    build: (round) => ({
      channel: 'email',
      lane: 'batch',
      content: { subject: '안내', body: '#{a}'.repeat(131_000) },
      recipients: addresses(round, 100, () => ({ a: '가'.repeat(1_500) })),
    }),
  },
  {
    name: 'maxVarsEmail100',
    idea: 'e-mail using 100 variables, 100 recipients x 100 values of 80 characters (accepted, 8 KB each)',
    build: (round) => ({
      channel: 'email',
      lane: 'batch',
      content: {
        subject: '#{v0}',
        body: Array.from({ length: 100 }, (_, v) => `#{v${v}}`).join(' '),
      },
      recipients: addresses(round, 100, (i) =>
        Object.fromEntries(Array.from({ length: 100 }, (_, v) => [`v${v}`, `${i}-${v}`.padEnd(80, 'x')])),
      ),
    }),
  },
  {
    name: 'maxHangulEmail100',
    idea: 'a fixed e-mail body at the 512 KiB limit in Hangul (174,762 characters), 100 recipients',
    build: (round) => ({
      channel: 'email',
      lane: 'batch',
      content: { subject: '안내', body: '가'.repeat(Math.floor((512 * 1024) / 3)) },
      recipients: addresses(round, 100),
    }),
  },
  {
    name: 'budgetEmail100',
    idea: 'the most text accepted: 100 e-mails of 20,900 bytes (HERALD_REQUEST_CONTENT_LIMIT_BYTES, 2 MiB)',
    build: (round) => ({
      channel: 'email',
      lane: 'batch',
      content: { subject: '안내', body: 'x'.repeat(20_900) },
      recipients: addresses(round, 100),
    }),
  },
  {
    name: 'alimtalkSharedVars100',
    idea: 'AlimTalk, 98 unused shared template.vars of 4,000 characters, 100 recipients',
    build: (round) => ({
      channel: 'alimtalk',
      lane: 'batch',
      template: {
        code: WORST_CASE_TEMPLATE.code,
        vars: {
          orderNo: `A-${round}`,
          ...Object.fromEntries(Array.from({ length: 98 }, (_, v) => [`unused${v}`, 'x'.repeat(4_000)])),
        },
      },
      recipients: phones(round, 100, (i) => ({ name: `고객${i}` })),
    }),
  },
  {
    name: 'escapedEmail',
    idea: 'e-mail rendering 315,000 control characters (U+0001): 6 bytes each once JSON-encoded',
    build: (round) => ({
      channel: 'email',
      lane: 'batch',
      content: { subject: '안내', body: '#{a}'.repeat(90) },
      recipients: addresses(round, 1, () => ({ a: '\u0001'.repeat(3_500) })),
    }),
  },
  {
    name: 'adBacktracking',
    idea: 'ad lane, 260,000 spaces, then 무료거부 and 130,000 " 1", ending in x (quadratic for the old regexes)',
    build: (round) => ({
      channel: 'lms',
      lane: 'ad',
      sender: { name: '헤럴드마트' },
      content: { body: `(광고) 헤럴드마트 ${' '.repeat(260_000)}무료거부 1${' 1'.repeat(130_000)}x` },
      recipients: phones(round, 100),
    }),
  },
  {
    name: 'adLeadingSpaces',
    idea: 'realtime lane, 520,000 leading spaces before (광고): the mark is looked for after them',
    build: (round) => ({
      channel: 'lms',
      lane: 'realtime',
      content: { body: `${' '.repeat(520_000)}(광고) 세일${AD_TAIL}` },
      recipients: phones(round, 100),
    }),
  },
  {
    name: 'nonEucKrAtEnd',
    idea: '340,000 Hangul characters and an emoji at the very end, SMS',
    build: (round) => ({
      channel: 'sms',
      lane: 'batch',
      content: { body: `${'가'.repeat(340_000)}😀` },
      recipients: phones(round, 100),
    }),
  },
  {
    name: 'unclosedPlaceholders',
    idea: 'e-mail of 262,000 "#{" and no closing brace (quadratic for the old placeholder regex)',
    build: (round) => ({
      channel: 'email',
      lane: 'batch',
      content: { subject: '안내', body: '#{'.repeat(262_000) },
      recipients: addresses(round, 100),
    }),
  },
];
