/** Query parameters and headers whose values are credentials in the providers we know. */
const SECRET_QUERY = /([?&](?:token|apikey|api_key|key|access_token|x_cg_demo_api_key)=)[^&#\s"']*/gi;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export const MAX_ERROR_MESSAGE_LENGTH = 500;

/** Removes credentials from text that may reach logs, metrics or responses, and bounds its size. */
export function redactSecrets(text: string): string {
  const bounded = text.length > MAX_ERROR_MESSAGE_LENGTH ? `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…` : text;
  return bounded.replace(SECRET_QUERY, '$1***').replace(BEARER, '$1***');
}
