import { HeraldError } from '../../core/domain/errors.ts';
import { registerTemplate } from '../../core/templates/register-template.ts';
import { submitTemplate } from '../../core/templates/submit-template.ts';
import { callerOf } from '../auth-hook.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import {
  PutTemplateBody,
  PutTemplateResponse,
  SubmitTemplateBody,
  SubmitTemplateResponse,
  TemplateListResponse,
  TemplateParams,
  TemplateResponse,
  TemplateVersionsResponse,
} from '../schemas/templates.ts';
import type { TypeBoxApp } from '../typebox-app.ts';
import type { TemplateApiDeps } from './template-checks.ts';
import { contentOf } from './template-checks.ts';

const security = [{ bearerAuth: [] }];
const tags = ['templates'];

/**
 * /v1/templates: a client's own AlimTalk templates. It registers and revises them (each change of
 * text is a new version, a draft until submitted), submits them to the vendors for Kakao's review,
 * and reads them with their state at each vendor. Another client's code is simply not found.
 */
export function registerClientTemplateRoutes(app: TypeBoxApp, deps: TemplateApiDeps): void {
  const now = () => deps.now?.() ?? Date.now();
  const found = async (clientId: string, code: string) => {
    const template = await deps.store.get(clientId, code);
    if (!template) throw new HeraldError('HERALD_NOT_FOUND', 'no template with this code', { field: 'code' });
    return template;
  };

  app.get(
    '/templates',
    {
      schema: {
        summary: 'Your AlimTalk templates',
        tags,
        security,
        response: { 200: TemplateListResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => ({ templates: await deps.store.list(callerOf(request).clientId) }),
  );

  app.get(
    '/templates/:code',
    {
      schema: {
        summary: 'One of your templates, with its state at each vendor',
        tags,
        security,
        params: TemplateParams,
        response: { 200: TemplateResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => found(callerOf(request).clientId, request.params.code),
  );

  app.get(
    '/templates/:code/versions',
    {
      schema: {
        summary: "A template's versions and audit trail",
        tags,
        security,
        params: TemplateParams,
        response: { 200: TemplateVersionsResponse, ...AUTHENTICATED_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { clientId } = callerOf(request);
      await found(clientId, request.params.code);
      const [versions, audit] = await Promise.all([
        deps.store.versions(clientId, request.params.code),
        deps.store.listAudit(clientId, request.params.code),
      ]);
      return { versions, audit: audit.map(({ clientId: _c, code: _code, ...entry }) => entry) };
    },
  );

  app.put(
    '/templates/:code',
    {
      schema: {
        summary: 'Register a template, or change it (a new version, to be submitted again)',
        tags,
        security,
        params: TemplateParams,
        body: PutTemplateBody,
        response: { 200: PutTemplateResponse, ...AUTHENTICATED_ERROR_RESPONSES, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { code } = request.params;
      return registerTemplate(
        deps.store,
        callerOf(request).clientId,
        code,
        contentOf(code, request.body),
        now(),
      );
    },
  );

  app.post(
    '/templates/:code/submit',
    {
      schema: {
        summary: "Submit a template to the AlimTalk vendors for Kakao's review",
        tags,
        security,
        params: TemplateParams,
        body: SubmitTemplateBody,
        response: { 200: SubmitTemplateResponse, ...AUTHENTICATED_ERROR_RESPONSES, 409: ErrorResponse },
      },
    },
    async (request) =>
      submitTemplate(
        { ...deps.vendors, store: deps.store, now },
        callerOf(request).clientId,
        request.params.code,
        request.body.vendors,
      ),
  );
}
