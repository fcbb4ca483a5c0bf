/**
 * An MMS image as a client gives it in `content.images`: the JPEG's bytes in base64 (a
 * `data:image/jpeg;base64,` prefix is taken too), or an https URL herald fetches once, at the API,
 * from a host the client registered (PUT /v1/image-hosts). `fileName` is what the vendors are told
 * (image-rules.ts imageFileName); recipients never see it.
 */
export type ImageInput =
  | { readonly base64: string; readonly fileName?: string }
  | { readonly url: string; readonly fileName?: string };

/** The request's MMS option: with no image, send the text as LMS instead of refusing it. */
export interface MmsOptions {
  readonly allowLmsWithoutImage?: boolean;
}
