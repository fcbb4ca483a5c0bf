import type { FastifyRequest } from 'fastify';
import { HeraldError } from '../../core/domain/errors.ts';
import {
  checkEmailSenders,
  checkImageHosts,
  checkKakaoChannels,
  checkSenderNumbers,
} from '../../core/senders/sender-registration.ts';
import type { SenderRegistry } from '../../ports/sender-registry.ts';
import { callerOf } from '../auth-hook.ts';
import { AUTHENTICATED_ERROR_RESPONSES, ErrorResponse } from '../schemas/common.ts';
import {
  ClientQuery,
  EmailSendersResponse,
  ImageHostsResponse,
  KakaoChannelsResponse,
  PutEmailSendersBody,
  PutImageHostsBody,
  PutKakaoChannelsBody,
  PutSenderNumbersBody,
  SenderNumbersResponse,
} from '../schemas/senders.ts';
import type { TypeBoxApp } from '../typebox-app.ts';

export type SenderStore = Pick<
  SenderRegistry,
  | 'putSenderNumbers'
  | 'listSenderNumbers'
  | 'putKakaoChannels'
  | 'listKakaoChannels'
  | 'putImageHosts'
  | 'listImageHosts'
  | 'putEmailSenders'
  | 'listEmailSenders'
>;

export interface SenderRoutesOptions {
  readonly senders: SenderStore;
  /** Told after a PUT, so this process's submission cache shows the change at once. */
  readonly changed: (clientId: string) => void;
}

const security = [{ bearerAuth: [] }];
const tags = ['senders'];
const errors = { ...AUTHENTICATED_ERROR_RESPONSES, 403: ErrorResponse };

/**
 * Who a client sends as: its sender numbers (발신번호), Kakao channels, MMS image hosts and e-mail
 * sender addresses. The
 * vendors make the sender prove each number and channel beforehand, so an admin registers them
 * (PUT, with an admin key, the client named in the body; the list replaces the previous one); a
 * client reads its own (GET), an admin anyone's (`?clientId=`).
 */
export function registerSenderRoutes(app: TypeBoxApp, options: SenderRoutesOptions): void {
  const { senders, changed } = options;

  app.put(
    '/sender-numbers',
    {
      schema: {
        summary: "Replace a client's sender numbers (admin)",
        tags,
        security,
        body: PutSenderNumbersBody,
        response: { 200: SenderNumbersResponse, ...errors },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { clientId } = request.body;
      const numbers = await senders.putSenderNumbers(clientId, checkSenderNumbers(request.body.numbers));
      changed(clientId);
      return { clientId, numbers };
    },
  );

  app.get(
    '/sender-numbers',
    {
      schema: {
        summary: "A client's sender numbers (yours; an admin names any with ?clientId=)",
        tags,
        security,
        querystring: ClientQuery,
        response: { 200: SenderNumbersResponse, ...errors },
      },
    },
    async (request) => {
      const clientId = readableClient(request, request.query.clientId);
      return { clientId, numbers: await senders.listSenderNumbers(clientId) };
    },
  );

  app.put(
    '/kakao-channels',
    {
      schema: {
        summary: "Replace a client's Kakao channels for AlimTalk (admin)",
        tags,
        security,
        body: PutKakaoChannelsBody,
        response: { 200: KakaoChannelsResponse, ...errors },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { clientId } = request.body;
      const channels = await senders.putKakaoChannels(clientId, checkKakaoChannels(request.body.channels));
      changed(clientId);
      return { clientId, channels };
    },
  );

  app.get(
    '/kakao-channels',
    {
      schema: {
        summary: "A client's Kakao channels (yours; an admin names any with ?clientId=)",
        tags,
        security,
        querystring: ClientQuery,
        response: { 200: KakaoChannelsResponse, ...errors },
      },
    },
    async (request) => {
      const clientId = readableClient(request, request.query.clientId);
      return { clientId, channels: await senders.listKakaoChannels(clientId) };
    },
  );

  app.put(
    '/image-hosts',
    {
      schema: {
        summary: "Replace the hosts a client's MMS image URLs may point at (admin)",
        tags,
        security,
        body: PutImageHostsBody,
        response: { 200: ImageHostsResponse, ...errors },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { clientId } = request.body;
      const hosts = await senders.putImageHosts(clientId, checkImageHosts(request.body.hosts));
      changed(clientId);
      return { clientId, hosts };
    },
  );

  app.get(
    '/image-hosts',
    {
      schema: {
        summary: "A client's MMS image hosts (yours; an admin names any with ?clientId=)",
        tags,
        security,
        querystring: ClientQuery,
        response: { 200: ImageHostsResponse, ...errors },
      },
    },
    async (request) => {
      const clientId = readableClient(request, request.query.clientId);
      return { clientId, hosts: await senders.listImageHosts(clientId) };
    },
  );

  app.put(
    '/email-senders',
    {
      schema: {
        summary: "Replace a client's e-mail sender addresses (admin)",
        tags,
        security,
        body: PutEmailSendersBody,
        response: { 200: EmailSendersResponse, ...errors },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { clientId } = request.body;
      const stored = await senders.putEmailSenders(clientId, checkEmailSenders(request.body.senders));
      changed(clientId);
      return { clientId, senders: stored };
    },
  );

  app.get(
    '/email-senders',
    {
      schema: {
        summary: "A client's e-mail sender addresses (yours; an admin names any with ?clientId=)",
        tags,
        security,
        querystring: ClientQuery,
        response: { 200: EmailSendersResponse, ...errors },
      },
    },
    async (request) => {
      const clientId = readableClient(request, request.query.clientId);
      return { clientId, senders: await senders.listEmailSenders(clientId) };
    },
  );
}

function requireAdmin(request: FastifyRequest): void {
  if (callerOf(request).role !== 'admin') {
    throw new HeraldError(
      'HERALD_FORBIDDEN',
      'registering sender numbers, Kakao channels, image hosts and e-mail senders needs an API key with the admin role',
    );
  }
}

/** The caller's own client, or with an admin key the one it names. */
function readableClient(request: FastifyRequest, asked: string | undefined): string {
  const caller = callerOf(request);
  if (asked === undefined || asked === caller.clientId) return caller.clientId;
  if (caller.role === 'admin') return asked;
  throw new HeraldError(
    'HERALD_FORBIDDEN',
    'a client key reads its own registration only; leave out clientId',
  );
}
