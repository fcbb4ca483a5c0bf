/**
 * The one time a dev API key is shown: on the terminal that started herald, framed so it cannot be
 * mistaken for a log line, with how to use it. It goes to stderr through this function alone,
 * never through the logger (logs are shipped and kept); herald keeps only the key's hash, so it can
 * never be shown again.
 */
export function devKeyNotice(key: string): string {
  const rule = '='.repeat(78);
  return [
    rule,
    ' herald generated a dev API key (admin role, client "dev") because HERALD_BOOTSTRAP_API_KEY',
    ' is not set. It is shown this once: only its hash is stored. Copy it now.',
    '',
    `   ${key}`,
    '',
    ` Use it as:  Authorization: Bearer ${key}`,
    ` or:         HERALD_API_KEY=${key} npm run herald -- send --to 01012345678 --body hi --wait`,
    ' Lost it? Make another: npm run herald -- keys create --client dev --admin',
    '',
    ' While simulators run, client "dev" also has the development sender number 02-1234-5678 and',
    ' Kakao channel @herald-dev (AlimTalk), so it can send at once. Real vendors know neither:',
    ' register your own with PUT /v1/sender-numbers and /v1/kakao-channels (docs/senders.md).',
    rule,
    '',
  ].join('\n');
}
