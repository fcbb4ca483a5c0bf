import { HeraldError } from '../../core/domain/errors.ts';
import { recordVendorReview, registerTemplate } from '../../core/templates/register-template.ts';
import { submitTemplate } from '../../core/templates/submit-template.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import {
  AdminClientQuery,
  AdminListQuery,
  AdminPutTemplateBody,
  AdminSubmitTemplateBody,
  PutTemplateResponse,
  SubmitTemplateResponse,
  TemplateListResponse,
  TemplateParams,
  TemplateResponse,
  TemplateVendorParams,
  TemplateVersionsResponse,
  VendorReviewBody,
} from '../schemas/templates.ts';
import type { TypeBoxApp } from '../typebox-app.ts';
import type { TemplateApiDeps } from './template-checks.ts';
import { contentOf } from './template-checks.ts';

const security = [{ bearerAuth: [] }];
const tags = ['admin'];
const errors = { ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse };

/**
 * /admin/templates: every client's AlimTalk templates, for operators (each call names the
 * client). Besides what a client can do for itself, an operator records a vendor's review by
 * hand (a template reviewed at the vendor's console).
 */
export function registerTemplateRoutes(app: TypeBoxApp, deps: TemplateApiDeps): void {
  const now = () => deps.now?.() ?? Date.now();

  app.get(
    '/templates',
    {
      schema: {
        summary: "Every client's AlimTalk templates (or one client's)",
        tags,
        security,
        querystring: AdminListQuery,
        response: { 200: TemplateListResponse, ...errors },
      },
    },
    async (request) => ({ templates: await deps.store.list(request.query.clientId) }),
  );

  app.get(
    '/templates/:code',
    {
      schema: {
        summary: "One client's template",
        tags,
        security,
        params: TemplateParams,
        querystring: AdminClientQuery,
        response: { 200: TemplateResponse, ...errors },
      },
    },
    async (request) => {
      const template = await deps.store.get(request.query.clientId, request.params.code);
      if (!template) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no template with this code for this client', {
          field: 'code',
        });
      }
      return template;
    },
  );

  app.get(
    '/templates/:code/versions',
    {
      schema: {
        summary: "One client's template: its versions and audit trail",
        tags,
        security,
        params: TemplateParams,
        querystring: AdminClientQuery,
        response: { 200: TemplateVersionsResponse, ...errors },
      },
    },
    async (request) => {
      const { clientId } = request.query;
      const [versions, audit] = await Promise.all([
        deps.store.versions(clientId, request.params.code),
        deps.store.listAudit(clientId, request.params.code),
      ]);
      if (versions.length === 0) {
        throw new HeraldError('HERALD_NOT_FOUND', 'no template with this code for this client', {
          field: 'code',
        });
      }
      return { versions, audit: audit.map(({ clientId: _c, code: _code, ...entry }) => entry) };
    },
  );

  app.put(
    '/templates/:code',
    {
      schema: {
        summary: 'Register or change a template for a client',
        tags,
        security,
        params: TemplateParams,
        body: AdminPutTemplateBody,
        response: { 200: PutTemplateResponse, ...errors, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { clientId, ...content } = request.body;
      const { code } = request.params;
      return registerTemplate(deps.store, clientId, code, contentOf(code, content), now());
    },
  );

  app.post(
    '/templates/:code/submit',
    {
      schema: {
        summary: "Submit a client's template to the AlimTalk vendors",
        tags,
        security,
        params: TemplateParams,
        body: AdminSubmitTemplateBody,
        response: { 200: SubmitTemplateResponse, ...errors, 409: ErrorResponse },
      },
    },
    async (request) =>
      submitTemplate(
        { ...deps.vendors, store: deps.store, now },
        request.body.clientId,
        request.params.code,
        request.body.vendors,
      ),
  );

  app.put(
    '/templates/:code/vendors/:vendorId',
    {
      schema: {
        summary: "Record a vendor's review of a template by hand (audited; the sync corrects it)",
        tags,
        security,
        params: TemplateVendorParams,
        body: VendorReviewBody,
        response: { 200: TemplateResponse, ...errors, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { clientId, code, state, rejectedReason } = request.body;
      return recordVendorReview(
        deps.store,
        clientId,
        request.params.code,
        request.params.vendorId,
        {
          code: code ?? request.params.code,
          state,
          ...(rejectedReason !== undefined && { rejectedReason }),
        },
        now(),
      );
    },
  );
}
