import { sensButtonProblem } from '../../vendors/sens/sens-buttons.ts';
import { formatSensTime } from '../../vendors/sens/sens-text.ts';
import type { TextSimulation } from '../text/text-simulation.ts';
import type { SimTemplate, SimTemplateButton } from '../text/vendor-templates.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { sensError } from './sens-answers.ts';

/** herald's review states as SENS' templateInspectionStatus (sens-alimtalk-template-get). */
const INSPECTION: Readonly<Record<SimTemplate['state'], string>> = {
  requested: 'REQ',
  approved: 'APR',
  rejected: 'REJ',
};

/**
 * GET /alimtalk/v2/services/{serviceId}/templates?channelId=@...[&templateCode][&pageSize][&pageIndex]
 * -> 200 [template...] of that channel (sens-alimtalk-template-get; channelId is required).
 */
export function listTemplates(vendorId: string, query: URLSearchParams, text: TextSimulation): HttpAnswer {
  const channelId = query.get('channelId');
  if (!channelId) return sensError(400, 'Bad Request', ['channelId is required']);
  const code = query.get('templateCode');
  const pageSize = Math.min(100, Math.max(1, Number(query.get('pageSize') ?? 100) || 100));
  const pageIndex = Math.max(0, Number(query.get('pageIndex') ?? 0) || 0);
  const templates = text.templates
    .list(vendorId)
    .filter((template) => template.senderId === channelId && (code === null || template.code === code))
    .sort((a, b) => a.createdAt - b.createdAt || a.code.localeCompare(b.code));
  return { status: 200, body: templates.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize).map(render) };
}

/**
 * POST /alimtalk/v2/services/{serviceId}/templates {channelId, templateCode, templateName, content,
 * buttons?} -> 200 {template}: registered for Kakao's review (approved at once while the simulation
 * auto-approves). A code the channel already has is refused, as Kakao keeps codes unique.
 */
export function createTemplate(vendorId: string, body: unknown, text: TextSimulation): HttpAnswer {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const field = (name: string, max: number): string => {
    const value = b[name];
    if (typeof value !== 'string' || value === '' || value.length > max)
      problems.push(`${name} is required (at most ${max} characters)`);
    return typeof value === 'string' ? value : '';
  };
  const channelId = field('channelId', 100);
  const code = field('templateCode', 20);
  const name = field('templateName', 150);
  const content = field('content', 1000);
  if (channelId !== '' && !text.kakaoSenders.allows(vendorId, channelId))
    problems.push(`channelId ${channelId} is not a channel of this project`);
  const buttons = Array.isArray(b.buttons) ? (b.buttons as Record<string, string>[]) : [];
  buttons.forEach((button, index) => {
    const problem = sensButtonProblem(button, index);
    if (problem !== undefined) problems.push(problem);
  });
  if (code !== '' && text.templates.get(vendorId, code) !== undefined)
    problems.push(`templateCode ${code} already exists`);
  if (problems.length > 0) return sensError(400, 'Bad Request', problems);
  const stored = text.templates.put(
    vendorId,
    { code, name, senderId: channelId, body: content, buttons: buttons.map(simButton) },
    text.now(),
  );
  return { status: 200, body: render(stored) };
}

function simButton(button: Record<string, string>): SimTemplateButton {
  const { type = '', name = '', linkMobile, linkPc, schemeIos, schemeAndroid } = button;
  return {
    type,
    name,
    ...(linkMobile ? { linkMobile } : {}),
    ...(linkPc ? { linkPc } : {}),
    ...(schemeIos ? { schemeIos } : {}),
    ...(schemeAndroid ? { schemeAndroid } : {}),
  };
}

/** A template as SENS' look-up writes it. */
function render(template: SimTemplate): Record<string, unknown> {
  return {
    createTime: formatSensTime(template.createdAt),
    updateTime: formatSensTime(template.updatedAt),
    channelId: template.senderId,
    templateCode: template.code,
    templateName: template.name,
    messageType: 'BA',
    emphasizeType: 'NONE',
    content: template.body,
    templateInspectionStatus: INSPECTION[template.state],
    templateStatus: template.state === 'approved' ? 'ACTIVE' : 'READY',
    comments:
      template.state === 'rejected' && template.rejectedReason
        ? [
            {
              content: template.rejectedReason,
              status: 'REJ',
              createTime: formatSensTime(template.updatedAt),
            },
          ]
        : [],
    buttons: template.buttons.map((button, index) => ({ order: index + 1, ...button })),
  };
}
