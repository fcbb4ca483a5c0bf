import { sensButtonProblem } from '../../vendors/sens/sens-buttons.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import type { SimTemplate } from '../text/vendor-templates.ts';
import { SENS_MAX_MESSAGES } from './sens-sms-checks.ts';

/** An AlimTalk send SENS took: its template and recipients, in order. */
export interface SensAlimtalkSend {
  readonly plusFriendId: string;
  readonly template: SimTemplate;
  readonly messages: readonly { readonly to: string; readonly content: string }[];
}

/**
 * The checks SENS (and Kakao behind it) makes of `POST /alimtalk/v2/services/{serviceId}/messages`
 * (sens-alimtalk-send): plusFriendId is a channel of this project, templateCode an approved
 * template of that channel, 1..100 messages each with a digit-only `to`, a content that is the
 * template with its #{variables} filled in, and buttons of the template's types and names with the
 * fields their type needs. Returns the problems, or the send.
 */
export function checkSensAlimtalk(
  body: unknown,
  vendorId: string,
  text: TextSimulation,
): { ok: true; send: SensAlimtalkSend } | { ok: false; problems: string[] } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const plusFriendId = typeof b.plusFriendId === 'string' ? b.plusFriendId : '';
  if (plusFriendId === '') problems.push('plusFriendId is required');
  else if (!text.kakaoSenders.allows(vendorId, plusFriendId))
    problems.push(`plusFriendId ${plusFriendId} is not a channel of this project`);
  const template =
    typeof b.templateCode === 'string' ? text.templates.get(vendorId, b.templateCode) : undefined;
  if (template === undefined || template.senderId !== plusFriendId)
    problems.push('templateCode is not a template of this channel');
  else if (template.state !== 'approved') problems.push(`template ${template.code} is not approved`);
  const entries = Array.isArray(b.messages) ? (b.messages as unknown[]) : [];
  if (entries.length < 1 || entries.length > SENS_MAX_MESSAGES)
    problems.push('messages must have 1 to 100 entries');
  const messages: { to: string; content: string }[] = [];
  entries.slice(0, SENS_MAX_MESSAGES).forEach((entry, index) => {
    const m = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof m.to !== 'string' || !/^\d{3,20}$/.test(m.to))
      problems.push(`messages[${index}].to must be digits`);
    if (typeof m.content !== 'string' || m.content === '')
      problems.push(`messages[${index}].content is required`);
    else if (template !== undefined && !fillsTemplate(template.body, m.content)) {
      problems.push(`messages[${index}].content does not match template ${template.code}`);
    }
    if (m.useSmsFailover !== undefined && typeof m.useSmsFailover !== 'boolean') {
      problems.push(`messages[${index}].useSmsFailover must be a boolean`);
    }
    problems.push(...buttonProblems(m.buttons, template, index));
    if (typeof m.to === 'string' && typeof m.content === 'string')
      messages.push({ to: m.to, content: m.content });
  });
  return problems.length > 0 || template === undefined
    ? { ok: false, problems }
    : { ok: true, send: { plusFriendId, template, messages } };
}

/** Whether `content` is `body` with each #{variable} replaced by some text (Kakao's 3016 check). */
export function fillsTemplate(body: string, content: string): boolean {
  const pattern = body
    .split(/#\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(content);
}

function buttonProblems(buttons: unknown, template: SimTemplate | undefined, index: number): string[] {
  if (buttons === undefined) return [];
  if (!Array.isArray(buttons)) return [`messages[${index}].buttons must be an array`];
  const problems = buttons
    .map((button, at) => sensButtonProblem(button as Record<string, string>, at))
    .filter((problem): problem is string => problem !== undefined)
    .map((problem) => `messages[${index}].${problem}`);
  if (template === undefined || template.buttons.length === 0) return problems;
  const same =
    buttons.length === template.buttons.length &&
    template.buttons.every(
      (button, at) => button.type === buttons[at]?.type && button.name === buttons[at]?.name,
    );
  if (!same) problems.push(`messages[${index}].buttons are not the template's`);
  return problems;
}
