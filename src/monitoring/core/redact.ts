/** Names under which credentials travel: query parameters, headers, JSON fields, prose. */
const SECRET_NAME = String.raw`(?:access[_-]?token|api[_-]?key|apikey|x[_-]cg[_-](?:demo|pro)[_-]api[_-]key|client[_-]?secret|private[_-]?key|x-amz-signature|signature|sig|token|key|secret|password|passwd)`;
/** `name=value`, `name%3Dvalue`, `name: value`, `"name":"value"`, anywhere in the text (case-insensitive). */
const SECRET_PARAM = new RegExp(String.raw`(\b${SECRET_NAME}"?\s*(?:[=:]|%3D)\s*"?)[^&#\s"'<>()[\]{},;%]+`, 'gi');
/** `Authorization: <scheme> <credentials>` whatever the scheme (Basic, Token, Digest...). */
const AUTHORIZATION = /(\bauthorization"?\s*[:=]\s*"?)(?:[A-Za-z-]+\s+)?[^\s"',;]+/gi;
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
  let out = String(text)
    .replace(URL_PASSWORD, '$1***@')
    .replace(AUTHORIZATION, '$1***')
    .replace(BEARER, '$1***')
    .replace(SECRET_PARAM, '$1***');
  for (const secret of [...secrets, ...registeredSecrets]) {
    // Very short "keys" would blank out ordinary words; real keys are long.
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

const registeredSecrets = new Set<string>();

/**
 * Adds literal values (the app's provider API keys) that are redacted wherever they appear,
 * even in prose like "the key abc123 is invalid" that no pattern can recognise.
 */
export function registerSecrets(secrets: readonly (string | undefined)[]): void {
  for (const secret of secrets) if (secret && secret.length >= 4) registeredSecrets.add(secret);
}

/** redactSecrets, then bounded in length, for error messages that are stored. */
export function redactErrorMessage(text: string): string {
  const redacted = redactSecrets(text);
  return redacted.length > MAX_ERROR_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…` : redacted;
}
