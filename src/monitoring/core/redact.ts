/** Query parameters that carry credentials at the providers we know. */
const SECRET_PARAM = /([?&](?:token|apikey|api_key|key|access_token|x_cg_demo_api_key|x_cg_pro_api_key)=)[^&#\s"'<>()[\]{},;]*/gi;
/** `scheme://user:password@host` */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]*@/gi;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * Removes credentials from text that may reach logs, metrics or responses: key parameters in
 * URLs, URL passwords, bearer tokens, and any literal secret values passed in (a provider's
 * note may quote the key back). Works on the raw string, so text that is not a URL is fine.
 */
export function redactSecrets(text: string | URL, secrets: readonly (string | undefined)[] = []): string {
  let out = String(text).replace(SECRET_PARAM, '$1***').replace(URL_PASSWORD, '$1***@').replace(BEARER, '$1***');
  for (const secret of secrets) {
    // Very short "keys" would blank out ordinary words; real keys are long.
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** redactSecrets, then bounded in length, for error messages that are stored. */
export function redactErrorMessage(text: string): string {
  const redacted = redactSecrets(text);
  return redacted.length > MAX_ERROR_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…` : redacted;
}
