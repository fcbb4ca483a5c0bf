import { Type } from 'typebox';

/** The error body of every non-2xx answer: `{ error: { code, message } }`. Codes: docs/errors.md. */
export const ErrorDetail = Type.Object({
  code: Type.String({ description: 'Stable machine-readable code, HERALD_... (docs/errors.md)' }),
  message: Type.String({ description: 'What is wrong and which field, for people' }),
});

export const ErrorResponse = Type.Object({ error: ErrorDetail });

/** Documented on every authenticated route, so the OpenAPI document shows the error shape too. */
export const AUTHENTICATED_ERROR_RESPONSES = {
  400: ErrorResponse,
  401: ErrorResponse,
  404: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
} as const;

export const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128, description: 'An id returned by POST /v1/messages' }),
});

export const NullableString = Type.Union([Type.String(), Type.Null()]);

export const NullableError = Type.Union([ErrorDetail, Type.Null()]);
