import type { TextContractContext, TextRequest, TextWireContract } from '../text/text-contract.ts';
import type { HttpAnswer } from '../wire-contract.ts';
import { solapiError } from './solapi-answers.ts';
import { checkSolapiAuth } from './solapi-auth-check.ts';
import { handleMessageList } from './solapi-lookup-routes.ts';
import { handleSendMany } from './solapi-send-route.ts';
import { handleFileUpload } from './solapi-storage-route.ts';
import { handleTemplateCreate, handleTemplateList } from './solapi-template-routes.ts';

type Handler = (
  request: TextRequest,
  context: TextContractContext,
) => Promise<HttpAnswer | null> | HttpAnswer;

/** SOLAPI's paths herald uses (solapi-nodejs src/services/...): method and path without the query. */
const ROUTES: Readonly<Record<string, Handler>> = {
  'POST /messages/v4/send-many/detail': handleSendMany,
  'GET /messages/v4/list': handleMessageList,
  'POST /storage/v1/files': handleFileUpload,
  'GET /kakao/v2/templates': handleTemplateList,
  'POST /kakao/v2/templates': handleTemplateCreate,
};

/**
 * api.solapi.com as the simulator speaks it, for both `solapi-sms` and `solapi-alimtalk` (one API,
 * one account kind): every call signed (checkSolapiAuth) before anything else is looked at, as
 * SOLAPI's gateway does; then the route.
 */
export const SOLAPI_CONTRACT: TextWireContract = {
  handle: async (request, context) => {
    const path = request.path.split('?', 1)[0];
    const handler = ROUTES[`${request.method} ${path}`];
    if (handler === undefined) return solapiError(404, 'NotFound', `No route ${request.method} ${path}`);
    const refused = checkSolapiAuth(request.vendorId, request.headers.authorization, context.text);
    if (refused !== undefined) return refused;
    return handler(request, context);
  },
};
